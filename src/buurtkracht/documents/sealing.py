"""Documents are sealed at rest: AES-GCM with a key derived from the SECRET_KEY, which
lives in the application's environment, never in the database. Whoever reads the database
or its backups sees only ciphertext; each seal is bound to its document, so a sealed blob
copied onto another document does not open. The same construction as the voting letters
(`voting/letters_job.py`). The keys of SECRET_KEY_FALLBACKS still open older seals, so a
SECRET_KEY can be rotated (docs/documents.md)."""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

NONCE = 12


class CannotOpen(Exception):
    """No configured key opens the seal (the SECRET_KEY changed without a fallback)."""


def _keys() -> list[bytes]:
    secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [hmac.new(str(s).encode(), b"documents", hashlib.sha256).digest() for s in secrets_]


def _bound(document_id: int) -> bytes:
    return f"document:{document_id}".encode()


def seal(document_id: int, data: bytes) -> bytes:
    nonce = os.urandom(NONCE)
    return nonce + AESGCM(_keys()[0]).encrypt(nonce, data, _bound(document_id))


def unseal(document_id: int, blob: bytes) -> bytes:
    for key in _keys():
        try:
            return AESGCM(key).decrypt(blob[:NONCE], blob[NONCE:], _bound(document_id))
        except InvalidTag:
            continue
    raise CannotOpen(document_id)
