"""Voting codes: made, written and checked here.

A code is 10 characters from an alphabet without the look-alikes 0/O and 1/I, printed in
two groups of five ("KX7PM-4RTQW"). About 50 bits: guessing one is hopeless, and wrong
codes are throttled on the voting page. The database keeps only an HMAC of the code,
keyed with SECRET_KEY, so a copy of the database does not hold usable codes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from random import Random

from django.conf import settings

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 10


def code_new(rng: Random | None = None) -> str:
    """A fresh code. `rng` only for the demo, whose codes must be the same every time."""
    if rng is None:
        return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "".join(rng.choice(ALPHABET) for _ in range(LENGTH))


def code_display(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def code_normalise(typed: str) -> str | None:
    """What the resident typed, as a code: spaces, dashes and lower case allowed. None when
    it cannot be a code at all."""
    code = "".join(ch for ch in typed.upper() if ch not in " -.\t")
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def code_hash(code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, b"voting-code:" + code.encode(), hashlib.sha256).hexdigest()


def participant_key(kind: str, pk: int) -> str:
    """A keyed hash of an address or a person, to recognise a participant of an earlier
    round without storing who they are."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"voting-participant:{kind}:{pk}".encode(), hashlib.sha256).hexdigest()
