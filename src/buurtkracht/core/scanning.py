"""Scanning uploads for malware with ClamAV's daemon (clamd), where one is configured.

A small client of clamd's INSTREAM command over a Unix socket or TCP (the protocol is a
handful of lines: `zINSTREAM\\0`, then chunks each preceded by its length as four bytes in
network order, then a zero length; clamd answers `stream: OK`, or `stream: <name> FOUND`).

- Not configured (`BUURTKRACHT_CLAMAV_SOCKET` empty): nothing is scanned; the document is
  stored and shown as "not scanned for viruses".
- Configured and the file is clean: stored as scanned.
- Infected: refused, nothing stored.
- Configured but not answering, or answering with an error: refused as well (fail
  closed): a scanner that was meant to run and did not is not a clean result.

Used by every upload that is kept: documents on a household file, a learning circle's
documents (`scan_upload`).
"""

from __future__ import annotations

import logging
import socket
import struct
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
MAX_ANSWER = 4096


class ScannerUnavailable(Exception):
    """clamd is configured but could not give a verdict."""


@dataclass(frozen=True)
class Verdict:
    infected: bool
    signature: str = ""


def configured() -> bool:
    return bool(settings.CLAMAV_SOCKET)


def _connect(address: str, timeout: float) -> socket.socket:
    if address.startswith("/") or address.startswith("unix:"):
        path = address.removeprefix("unix:")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(path)
        return sock
    host, _sep, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ScannerUnavailable(f"BUURTKRACHT_CLAMAV_SOCKET {address!r} is no path or host:port")
    return socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)


def scan(data: bytes) -> Verdict:
    """Ask clamd about `data`. Raises ScannerUnavailable when it gives no verdict."""
    address = settings.CLAMAV_SOCKET
    try:
        with _connect(address, settings.CLAMAV_TIMEOUT_SECONDS) as sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK):
                chunk = data[start : start + CHUNK]
                sock.sendall(struct.pack("!I", len(chunk)) + chunk)
            sock.sendall(struct.pack("!I", 0))
            answer = b""
            while b"\0" not in answer and len(answer) < MAX_ANSWER:
                received = sock.recv(1024)
                if not received:
                    break
                answer += received
    except OSError as error:
        raise ScannerUnavailable(f"clamd at {address} does not answer: {error}") from error
    text = answer.split(b"\0", 1)[0].decode("utf-8", "replace").strip()
    result = text.split(":", 1)[1].strip() if ":" in text else text
    if result == "OK":
        return Verdict(infected=False)
    if result.endswith(" FOUND"):
        return Verdict(infected=True, signature=result.removesuffix(" FOUND").strip())
    raise ScannerUnavailable(f"clamd at {address} answered {text!r}")


def scan_upload(data: bytes) -> bool:
    """Scan an upload before it is stored: True when it was scanned and is clean, False
    when no scanner is configured. Raises ValidationError on the field "file" (nothing
    is stored) when the file is infected or the configured scanner gives no verdict."""
    if not configured():
        return False
    try:
        verdict = scan(data)
    except ScannerUnavailable as error:
        logger.error("Virus scanner unavailable, upload refused: %s", error)
        raise ValidationError(
            {
                "file": _(
                    "The virus scanner cannot be reached, so the document was not added. "
                    "Try again later; if it keeps happening, tell the functional "
                    "administrator."
                )
            }
        ) from error
    if verdict.infected:
        logger.warning("Upload refused: virus scanner found %s", verdict.signature)
        raise ValidationError(
            {
                "file": _(
                    "The virus scanner found something harmful in this file (%(name)s). It "
                    "was not added. Do not open the file; ask the sender for a clean copy."
                )
                % {"name": verdict.signature}
            }
        )
    return True
