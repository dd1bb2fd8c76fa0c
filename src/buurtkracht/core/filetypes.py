"""What an uploaded file really is, read from its content, never from its name.

A file's name and the type the browser sends are what the sender says; the first bytes
(the "magic" signature) are what the file is. Only the kinds a worker needs on a file are
taken in: PDF, photos (JPEG, PNG, HEIC/HEIF, WebP) and office documents (Word, Excel and
PowerPoint as .docx/.xlsx/.pptx, OpenDocument .odt/.ods/.odp). Office documents are ZIP
archives; what is inside decides which one it is, and one with macros is refused. The old
binary Office formats (.doc, .xls) are refused too: they carry macros unseen.

Used by every upload that is kept: documents on a household file and a learning circle's
documents (`examine`, then `core.scanning.scan_upload`).

The signatures are checked here, a few lines each, rather than with a library: the list
is short and fixed, and a library would guess at many more kinds than are allowed.
"""

from __future__ import annotations

import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    label: str  # what the worker sees: "PDF", "Word document" …
    content_type: str
    extension: str  # without the dot


PDF = FileKind("PDF", "application/pdf", "pdf")
JPEG = FileKind("JPEG", "image/jpeg", "jpg")
PNG = FileKind("PNG", "image/png", "png")
HEIC = FileKind("HEIC", "image/heic", "heic")
WEBP = FileKind("WebP", "image/webp", "webp")
DOCX = FileKind(
    "Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"
)
XLSX = FileKind(
    "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
)
PPTX = FileKind(
    "PowerPoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pptx",
)
ODT = FileKind("OpenDocument", "application/vnd.oasis.opendocument.text", "odt")
ODS = FileKind("OpenDocument", "application/vnd.oasis.opendocument.spreadsheet", "ods")
ODP = FileKind("OpenDocument", "application/vnd.oasis.opendocument.presentation", "odp")

ALLOWED = (PDF, JPEG, PNG, HEIC, WEBP, DOCX, XLSX, PPTX, ODT, ODS, ODP)
BY_CONTENT_TYPE = {kind.content_type: kind for kind in ALLOWED}
# Names that claim an allowed kind: a file called so whose content is something else is
# refused as a disguised file, with its own message.
CLAIMED = {kind.extension: kind for kind in ALLOWED} | {
    "jpeg": JPEG,
    "heif": HEIC,
}

# Brands of the ISO base media file format (ftyp box) that are HEIF still images.
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
# Parts of an OOXML package that name it, and what they make it.
OOXML_PARTS = (
    ("word/document.xml", DOCX),
    ("xl/workbook.xml", XLSX),
    ("ppt/presentation.xml", PPTX),
)
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Read at most this much of a part inside an archive: the parts looked at are tiny, and
# a compressed bomb never unfolds.
PART_LIMIT = 1 << 20


class Refused(Exception):
    """The file is not taken in; the message says why, in the user's language."""


def _zip_kind(stream: IO[bytes]) -> FileKind | None:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as part:
                    mimetype = part.read(200).decode("ascii", "replace").strip()
                kind = BY_CONTENT_TYPE.get(mimetype)
                if kind in (ODT, ODS, ODP):
                    return kind
                return None
            if "[Content_Types].xml" not in names:
                return None
            with archive.open("[Content_Types].xml") as part:
                types = part.read(PART_LIMIT)
            if b"macroenabled" in types.lower() or any(
                name.lower().endswith("vbaproject.bin") for name in names
            ):
                raise Refused(
                    _(
                        "This office document contains macros, which can run programs. "
                        "Save it without macros (as .docx or .xlsx) or as a PDF, and add "
                        "it again."
                    )
                )
            for part_name, kind in OOXML_PARTS:
                if part_name in names:
                    return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError):
        return None
    return None


def identify(stream: IO[bytes]) -> FileKind | None:
    """The allowed kind the content of `stream` is, or None. Raises Refused for a kind
    that is recognised and refused on purpose (macros, old Office formats)."""
    stream.seek(0)
    head = stream.read(64)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return HEIC
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(OLE2):
        raise Refused(
            _(
                "This is an old-style office file (.doc or .xls), which can hide macros. "
                "Save it as .docx, .xlsx or PDF, and add it again."
            )
        )
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(stream)
    return None


def extension_of(name: str) -> str:
    return os.path.splitext(name)[1].lstrip(".").lower()


def refuse_unknown(name: str) -> Refused:
    """The refusal for content that is no allowed kind: a disguised file when the name
    claims one (an .exe renamed to .pdf), otherwise the list of what may be added."""
    claimed = CLAIMED.get(extension_of(name))
    if claimed is not None:
        return Refused(
            _(
                "The file is called “%(name)s” but it is not a %(kind)s file inside. It "
                "was not added. Open it on your own computer to check what it is, or ask "
                "the sender for the real document."
            )
            % {"name": safe_name(name, claimed), "kind": claimed.label}
        )
    return Refused(
        _(
            "This kind of file cannot be added. Choose a PDF, a photo (JPEG, PNG or HEIC) "
            "or an office document (Word, Excel or OpenDocument)."
        )
    )


_UNSAFE = re.compile(r"[^\w .()+,-]+")
MAX_NAME = 100


def safe_name(name: str, kind: FileKind) -> str:
    """A file name that is safe to show and to offer for download: no folders, no
    control or special characters, no leading dots, at most 100 characters, and the
    extension of what the file really is."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = os.path.splitext(name)[0] if extension_of(name) else name
    stem = _UNSAFE.sub("_", stem)
    stem = re.sub(r"\s+", " ", stem).strip(" ._-")
    stem = stem[: MAX_NAME - len(kind.extension) - 1].rstrip(" ._-") or "document"
    return f"{stem}.{kind.extension}"


@dataclass(frozen=True)
class Examined:
    """An upload whose content was checked (`examine`): its bytes, what it is and the
    safe name it is stored under."""

    data: bytes
    kind: FileKind
    filename: str


def max_bytes() -> int:
    return int(settings.DOCUMENTS_MAX_MB) * 1024 * 1024


def examine(upload: UploadedFile) -> Examined:
    """Check an upload for a form's clean method: not too big, not empty, and by its
    content one of the allowed kinds. Raises ValidationError with the reason."""
    size = upload.size or 0
    if size > max_bytes():
        raise ValidationError(
            _(
                "The file is %(size)s MB; at most %(max)s MB can be added. Make the photo "
                "smaller, or save the document as a PDF with fewer pages."
            )
            % {
                "size": f"{size / (1024 * 1024):.1f}".replace(".", ","),
                "max": settings.DOCUMENTS_MAX_MB,
            }
        )
    if size == 0:
        raise ValidationError(_("The file is empty. Choose another file."))
    name = upload.name or ""
    try:
        kind = identify(upload)
        if kind is None:
            raise refuse_unknown(name)
    except Refused as refused:
        raise ValidationError(str(refused)) from refused
    upload.seek(0)
    return Examined(data=upload.read(), kind=kind, filename=safe_name(name, kind))
