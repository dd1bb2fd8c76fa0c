"""Photos with a report back: checked and re-encoded before they are stored.

A photo is opened with Pillow (so a file that only claims to be an image is refused),
turned the right way up, shrunk to at most 1600 pixels on its longest side and saved again
as JPEG without its metadata: no GPS position, camera or name from the original reaches
the public results page."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024
MAX_SIDE = 1600
MAX_PHOTOS = 3
FORMATS = {"JPEG", "PNG", "WEBP"}


def photo_clean(upload: UploadedFile) -> ContentFile[bytes]:
    """The photo as a clean JPEG, or ValidationError saying what to do instead."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(
            _("This photo is larger than 8 MB. Choose a smaller one, or take it again.")
        )
    try:
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as opened:
            if opened.format not in FORMATS:
                raise ValidationError(_("Choose a photo in JPEG, PNG or WebP format."))
            upright: Image.Image = ImageOps.exif_transpose(opened) or opened
            picture = upright.convert("RGB")
            picture.thumbnail((MAX_SIDE, MAX_SIDE))
            buffer = io.BytesIO()
            picture.save(buffer, format="JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not a photo we can read. Choose a JPEG, PNG or WebP photo.")
        ) from None
    return ContentFile(buffer.getvalue(), name="photo.jpg")
