"""Photos with a report back: checked and re-encoded before they are stored.

A photo is opened with Pillow (so a file that only claims to be an image is refused),
turned the right way up, shrunk to at most 1600 pixels on its longest side and saved again
as JPEG without its metadata: no GPS position, camera or name from the original reaches
the public results page.

Its size in pixels is read from the header before anything is decoded: a small file can
describe a huge picture (12,000 × 12,000 pixels in a few hundred kB), and decoding that
holds a worker for seconds and half a gigabyte. Above MAX_PIXELS it is refused unread."""

from __future__ import annotations

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024
MAX_SIDE = 1600
MAX_PHOTOS = 3
FORMATS = {"JPEG", "PNG", "WEBP"}
# 40 megapixels: more than any phone camera takes (a 48 MP sensor saves 12 MP photos).
MAX_PIXELS = 40_000_000
# Pillow's own guard stands behind ours, for every image opened in this process: it
# refuses to open above twice this (instead of its default of about 179 megapixels).
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# Between our limit and twice it Pillow only warns; _check_pixels refuses those itself.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)


def photo_clean(upload: UploadedFile) -> ContentFile[bytes]:
    """The photo as a clean JPEG, or ValidationError saying what to do instead."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(
            _("This photo is larger than 8 MB. Choose a smaller one, or take it again.")
        )
    try:
        with Image.open(upload) as probe:  # reads the header only
            _check_pixels(probe.size)
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as opened:
            if opened.format not in FORMATS:
                raise ValidationError(_("Choose a photo in JPEG, PNG or WebP format."))
            # A JPEG is decoded at the smallest scale still larger than what we keep.
            opened.draft("RGB", (MAX_SIDE, MAX_SIDE))
            upright: Image.Image = ImageOps.exif_transpose(opened) or opened
            picture = upright.convert("RGB")
            picture.thumbnail((MAX_SIDE, MAX_SIDE))
            buffer = io.BytesIO()
            picture.save(buffer, format="JPEG", quality=85, optimize=True)
    except Image.DecompressionBombError:
        # Pillow's own guard, at twice our limit, already refuses in Image.open.
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError(
            _("This file is not a photo we can read. Choose a JPEG, PNG or WebP photo.")
        ) from None
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _(
            "This photo has more than %(limit)s megapixels, more than we take. Make it "
            "smaller (for example with Share > Smaller size on your phone) and choose it again."
        )
        % {"limit": MAX_PIXELS // 1_000_000}
    )


def _check_pixels(size: tuple[int, int]) -> None:
    width, height = size
    if width * height > MAX_PIXELS:
        raise _too_many_pixels()
