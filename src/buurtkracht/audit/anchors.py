"""Anchors: the head of the audit chain, written outside the database.

The hash chain shows a change in the middle of the log, but not a log that lost its newest
entries, was emptied, or was recomputed from a changed entry onwards: such a chain is
consistent again. So every few minutes (`anchor_audit_chain`, and every run of
`verify_audit_chain`) the newest entry's sequence and hash are appended as one signed line
to a file outside the database (settings.AUDIT_ANCHOR_FILE) and to the system log. The
signature is an HMAC-SHA256 with a key that is neither in the database nor the SECRET_KEY
(settings.AUDIT_ANCHOR_KEY); each line also carries the signature of the line before it,
so a removed or reordered line shows. Retention checkpoints are signed with the same key,
so a checkpoint slipped in by hand does not hide the entries removed behind it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import hmac
import json
import logging
import os
import secrets
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from buurtkracht.audit.chain import GENESIS
from buurtkracht.audit.models import AuditCheckpoint, AuditEvent

logger = logging.getLogger("buurtkracht.audit.anchors")

GENERATED_KEY_NAME = "audit-anchor.key"
# The privacy officer's page reads only the end of the file: the full check is the command's.
TAIL_BYTES = 64 * 1024


def anchor_key() -> bytes:
    """The signing key. Outside production, one is generated into DATA_DIR when none is
    configured (production settings refuse to start without one)."""
    key = str(settings.AUDIT_ANCHOR_KEY)
    if key:
        return key.encode()
    if settings.IS_PRODUCTION:
        raise ImproperlyConfigured("BUURTKRACHT_AUDIT_ANCHOR_KEY(_FILE) is not set.")
    path = Path(settings.DATA_DIR) / GENERATED_KEY_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip().encode()
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        generated = secrets.token_urlsafe(48)
        handle.write(generated + "\n")
    return generated.encode()


def _mac(message: str) -> str:
    return hmac.new(anchor_key(), message.encode(), hashlib.sha256).hexdigest()


def _canonical(fields: dict[str, Any]) -> str:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# -- Checkpoints ------------------------------------------------------------------------------


def checkpoint_signature(*, sequence: int, hash: str, removed: int, cutoff: dt.datetime) -> str:
    cutoff_utc = cutoff.astimezone(dt.UTC).isoformat()
    return _mac(f"checkpoint|{sequence}|{hash}|{removed}|{cutoff_utc}")


def checkpoint_is_signed(checkpoint: AuditCheckpoint) -> bool:
    expected = checkpoint_signature(
        sequence=checkpoint.sequence,
        hash=checkpoint.hash,
        removed=checkpoint.removed,
        cutoff=checkpoint.cutoff,
    )
    return hmac.compare_digest(expected, checkpoint.signature)


# -- Anchor lines -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    number: int  # the line's place in the file, from 1
    at: dt.datetime
    sequence: int  # 0: the log was empty
    hash: str
    verified: bool | None  # the result of the full check that wrote it, if one did
    previous: str  # the signature of the line before
    signature: str

    def line(self) -> str:
        return _canonical({**self._fields(), "mac": self.signature})

    def _fields(self) -> dict[str, Any]:
        return {
            "v": 1,
            "n": self.number,
            "at": self.at.astimezone(dt.UTC).isoformat(),
            "sequence": self.sequence,
            "hash": self.hash,
            "verified": self.verified,
            "prev": self.previous,
        }


def _sign(anchor_fields: dict[str, Any]) -> str:
    return _mac("anchor|" + _canonical(anchor_fields))


def _parse(text: str) -> Anchor:
    """One line, or ValueError when it is not a well-formed anchor with a valid signature."""
    try:
        data = json.loads(text)
        anchor = Anchor(
            number=int(data["n"]),
            at=dt.datetime.fromisoformat(data["at"]),
            sequence=int(data["sequence"]),
            hash=str(data["hash"]),
            verified=data["verified"] if data["verified"] in (True, False, None) else None,
            previous=str(data["prev"]),
            signature=str(data["mac"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError("not an anchor line") from exc
    if not hmac.compare_digest(_sign(anchor._fields()), anchor.signature):
        raise ValueError("signature does not match: written without the key, or changed")
    return anchor


@dataclass
class AnchorFile:
    anchors: list[Anchor]
    problems: list[str]


def _check_lines(lines: list[str], *, first_is_start: bool) -> AnchorFile:
    anchors: list[Anchor] = []
    problems: list[str] = []
    for text in lines:
        if not text.strip():
            continue
        try:
            anchor = _parse(text)
        except ValueError as exc:
            after = f" after anchor line {anchors[-1].number}" if anchors else ""
            problems.append(f"Anchor line{after}: {exc}")
            continue
        if anchors:
            before = anchors[-1]
            if anchor.number != before.number + 1 or anchor.previous != before.signature:
                problems.append(
                    f"Anchor line {anchor.number}: does not follow line {before.number}: "
                    "anchor lines were removed or reordered"
                )
        elif first_is_start and (anchor.number != 1 or anchor.previous):
            problems.append(
                f"Anchor line {anchor.number}: is the first in the file: earlier lines were removed"
            )
        anchors.append(anchor)
    return AnchorFile(anchors, problems)


def read_anchors(path: Path | None = None) -> AnchorFile:
    """Every line of the anchor file, checked: signatures, numbering and links."""
    path = Path(path or settings.AUDIT_ANCHOR_FILE)
    if not path.exists():
        return AnchorFile([], [])
    with path.open(encoding="utf-8") as handle:
        return _check_lines(handle.readlines(), first_is_start=True)


def read_tail(path: Path | None = None) -> AnchorFile:
    """The last lines only (TAIL_BYTES), for a page that must stay quick."""
    path = Path(path or settings.AUDIT_ANCHOR_FILE)
    if not path.exists():
        return AnchorFile([], [])
    with path.open("rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        start = max(0, size - TAIL_BYTES)
        handle.seek(start)
        lines = handle.read().decode("utf-8", errors="replace").splitlines()
    if start > 0:
        lines = lines[1:]  # the first may be cut in two
    return _check_lines(lines, first_is_start=start == 0)


def chain_head() -> tuple[int, str]:
    """The newest entry's sequence and hash; (0, GENESIS) for an empty log."""
    last = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
    return (last["sequence"], last["hash"]) if last else (0, GENESIS)


def anchor_write(*, verified: bool | None = None, path: Path | None = None) -> Anchor:
    """Append the current head as a signed line, and send it to the system log too."""
    path = Path(path or settings.AUDIT_ANCHOR_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
    with os.fdopen(descriptor, "r+b") as handle:
        # One writer at a time: the timer and a verification may meet.
        fcntl.flock(handle, fcntl.LOCK_EX)
        size = handle.seek(0, os.SEEK_END)
        handle.seek(max(0, size - 4096))
        tail = [line for line in handle.read().decode("utf-8", "replace").splitlines() if line]
        number, previous = 1, ""
        if tail:
            try:
                last = json.loads(tail[-1])
                number, previous = int(last["n"]) + 1, str(last["mac"])
            except (ValueError, KeyError, TypeError):
                number = 1  # a damaged last line: verification reports it
        sequence, head_hash = chain_head()
        unsigned = Anchor(number, timezone.now(), sequence, head_hash, verified, previous, "")
        anchor = replace(unsigned, signature=_sign(unsigned._fields()))
        handle.write((anchor.line() + "\n").encode())
        handle.flush()
        os.fsync(handle.fileno())
    logger.info("audit anchor %s", anchor.line())
    return anchor


def anchor_matches_database(anchor: Anchor) -> str:
    """Empty when the anchored entry is still there with its hash (or was removed behind a
    signed retention checkpoint); otherwise what is wrong. One or two queries."""
    if anchor.sequence == 0:
        return ""
    row = AuditEvent.objects.filter(sequence=anchor.sequence).values("hash").first()
    if row is not None:
        if row["hash"] == anchor.hash:
            return ""
        return (
            f"Entry {anchor.sequence}: differs from its anchor of {anchor.at:%Y-%m-%d %H:%M} "
            "UTC: it, or an entry before it, was changed and the chain recomputed"
        )
    checkpoint = (
        AuditCheckpoint.objects.filter(sequence__gte=anchor.sequence).order_by("sequence").first()
    )
    behind_checkpoint = (
        checkpoint is not None
        and checkpoint_is_signed(checkpoint)
        and (checkpoint.sequence != anchor.sequence or checkpoint.hash == anchor.hash)
    )
    if behind_checkpoint:
        return ""
    return (
        f"Entry {anchor.sequence}: anchored at {anchor.at:%Y-%m-%d %H:%M} UTC but missing: "
        "the log was shortened or emptied"
    )


def anchors_match_database(anchors: list[Anchor]) -> list[str]:
    """`anchor_matches_database` for many anchors, with one query for those whose entry is
    still there (the usual case)."""
    distinct = {(a.sequence, a.hash): a for a in anchors if a.sequence}
    present = dict(
        AuditEvent.objects.filter(sequence__in={s for s, _ in distinct}).values_list(
            "sequence", "hash"
        )
    )
    problems = []
    for (sequence, anchored_hash), anchor in sorted(distinct.items()):
        if present.get(sequence) != anchored_hash:
            problem = anchor_matches_database(anchor)
            if problem and problem not in problems:
                problems.append(problem)
    return problems


@dataclass(frozen=True)
class AnchorStatus:
    """What the privacy officer's audit page shows: the newest anchor, the newest full
    check, and whether the recent anchors still match the database."""

    last_anchor: Anchor | None
    last_verification: Anchor | None
    problems: list[str]
    stale: bool  # in production: the newest anchor is older than twice the timer's interval

    @property
    def state(self) -> str:
        if self.problems or (self.last_verification and self.last_verification.verified is False):
            return "broken"
        if self.last_verification is None:
            return "unverified"
        return "ok"


def anchor_status(path: Path | None = None) -> AnchorStatus:
    """Quick: reads the end of the anchor file only and checks those anchors against the
    database in a query or two. The full check is `verify_audit_chain`."""
    tail = read_tail(path)
    last = tail.anchors[-1] if tail.anchors else None
    verification = next((a for a in reversed(tail.anchors) if a.verified is not None), None)
    limit = dt.timedelta(minutes=2 * int(settings.AUDIT_ANCHOR_MINUTES))
    return AnchorStatus(
        last_anchor=last,
        last_verification=verification,
        problems=tail.problems + anchors_match_database(tail.anchors),
        # Only production runs the timer; elsewhere an old anchor is no news.
        stale=settings.IS_PRODUCTION and (last is None or timezone.now() - last.at > limit),
    )


def anchors_restart(path: Path | None = None) -> Path | None:
    """Put the anchor file aside and start a new one. Only for a database that is built
    anew (the demo); the old file stays, renamed, next to the new one."""
    path = Path(path or settings.AUDIT_ANCHOR_FILE)
    if not path.exists():
        return None
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%fZ")
    aside = path.with_name(f"{path.stem}.{stamp}{path.suffix}")
    path.replace(aside)
    return aside
