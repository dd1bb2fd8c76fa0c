"""Lock-out after repeated failed logins (password, second factor or re-authentication).

Two counters in the shared throttle store (core.throttle), per LOCKOUT_MINUTES:

- per account name *and* client address: LOCKOUT_ATTEMPTS (5) failures lock that name
  for that address. This stops guessing, and a stranger elsewhere does not lock the
  owner out;
- per account name from every address: LOCKOUT_NAME_ATTEMPTS (50) failures lock the name
  everywhere, against guessing spread over many addresses. One address adds at most
  LOCKOUT_ATTEMPTS to it, so locking an owner out takes ten addresses, not five guesses.

A login *reserves* its attempt before the password is checked (`login_attempt_begin`, an
atomic increment) and gives it back when the password was right. Concurrent guesses
therefore cannot all pass a check made before any of them was counted: the sixth is
refused, however fast the requests come. Failed logins stay audit events too.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from buurtkracht.core.throttle import Limit, client_address


def _per_address() -> Limit:
    return Limit("login-name-address", settings.LOCKOUT_ATTEMPTS, settings.LOCKOUT_MINUTES * 60)


def _per_name() -> Limit:
    return Limit("login-name", settings.LOCKOUT_NAME_ATTEMPTS, settings.LOCKOUT_MINUTES * 60)


def _subjects(username: str, request: HttpRequest | None) -> tuple[str, str]:
    name = username.strip().casefold()
    return name, f"{name}\x1f{client_address(request)}"


def login_attempt_begin(username: str, request: HttpRequest | None) -> bool:
    """Count a login attempt before its password is checked; False when the name is
    locked (for this address or everywhere) and the password must not be checked."""
    name, pair = _subjects(username, request)
    per_address = _per_address()
    if per_address.hit(pair) > per_address.limit:
        # Refused attempts from a locked address do not add to the name's count: one
        # address alone cannot lock the owner out everywhere.
        return False
    per_name = _per_name()
    return per_name.hit(name) <= per_name.limit


def login_attempt_succeeded(username: str, request: HttpRequest | None) -> None:
    """The password was right: this address starts afresh, and the attempt is taken off
    the name's count (the failures of others stay)."""
    name, pair = _subjects(username, request)
    _per_address().reset(pair)
    _per_name().undo(name)


def login_failure_record(username: str, request: HttpRequest | None) -> None:
    """Count a failure that did not pass `login_attempt_begin`: a wrong second factor or a
    wrong password at re-authentication."""
    name, pair = _subjects(username, request)
    per_address = _per_address()
    if per_address.hit(pair) <= per_address.limit:
        _per_name().hit(name)


def account_locked(username: str, request: HttpRequest | None = None) -> bool:
    """True when the name is locked for the request's address or everywhere."""
    name, pair = _subjects(username, request)
    return _per_address().reached(pair) or _per_name().reached(name)
