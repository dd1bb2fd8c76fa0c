"""A report-back photo is measured in pixels before it is decoded (issue 15, finding 9)."""

from __future__ import annotations

import io
import struct
import time
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from buurtkracht.initiatives.photos import MAX_BYTES, MAX_PIXELS, photo_clean


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def _huge_png(width: int, height: int) -> bytes:
    """A valid grey PNG of width × height pixels, all black: a few hundred kB on disk,
    width × height bytes (and three times that as RGB) once decoded."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte + one byte per pixel
    parts = [compressor.compress(row) for _ in range(height)]
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )


def test_a_huge_picture_in_a_small_file_is_refused_before_decoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = _huge_png(12_000, 12_000)
    assert len(raw) < MAX_BYTES  # the byte limit alone lets it through
    decoded: list[str] = []
    original_load = Image.Image.load

    def spy_load(self: Image.Image) -> object:
        decoded.append(self.format or "")
        return original_load(self)

    monkeypatch.setattr(Image.Image, "load", spy_load)
    started = time.perf_counter()
    with pytest.raises(ValidationError) as refused:
        photo_clean(SimpleUploadedFile("bank.png", raw, "image/png"))
    elapsed = time.perf_counter() - started
    message = refused.value.messages[0]
    assert "meer dan 40 megapixel" in message
    assert decoded == []  # nothing was decoded
    assert elapsed < 1.0


def test_a_picture_just_over_the_limit_is_refused_from_its_header() -> None:
    raw = _huge_png(8_000, 5_001)  # 40,008,000 pixels: Pillow only warns, we refuse
    with pytest.raises(ValidationError) as refused:
        photo_clean(SimpleUploadedFile("bank.png", raw, "image/png"))
    assert "meer dan 40 megapixel" in refused.value.messages[0]


def test_a_photo_just_under_the_limit_is_taken_and_shrunk() -> None:
    assert Image.MAX_IMAGE_PIXELS == MAX_PIXELS
    picture = Image.new("RGB", (6000, 4000), (90, 140, 60))  # 24 megapixels
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=50)
    cleaned = photo_clean(SimpleUploadedFile("bank.jpg", buffer.getvalue(), "image/jpeg"))
    with Image.open(io.BytesIO(cleaned.read())) as stored:
        assert stored.size == (1600, 1067)
