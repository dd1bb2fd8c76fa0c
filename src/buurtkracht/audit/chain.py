"""The hash chain over audit events.

An entry's hash is SHA-256 over the previous entry's hash and a canonical JSON form of its
own fields. The first entry's previous hash is GENESIS. Changing any field of any entry,
deleting one, or inserting one in between makes `verify` report the first place it breaks.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64

# The fields the hash covers, in a fixed order. Adding a field means a new chain version.
HASHED_FIELDS = (
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_username",
    "actor_roles",
    "actor_organisation",
    "on_behalf_of",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "ground",
    "allowed",
    "reason",
    "details",
    "client_ip",
    "client_agent",
    "subject_ids",
)


def _canonical(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        # Microseconds kept; always UTC, because the database returns aware UTC datetimes.
        return value.isoformat()
    return value


def entry_hash(previous_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(
        {name: _canonical(fields[name]) for name in HASHED_FIELDS},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(f"{previous_hash}|{payload}".encode()).hexdigest()


@dataclass(frozen=True)
class Break:
    sequence: int
    problem: str


def verify(
    entries: Iterable[dict[str, Any]], *, start_hash: str = GENESIS, start_sequence: int = 0
) -> Iterator[Break]:
    """Yield every break in the chain, given entries in sequence order, starting after
    `start_sequence` whose hash is `start_hash` (a retention checkpoint, or the genesis)."""
    expected_previous = start_hash
    expected_sequence = start_sequence + 1
    for entry in entries:
        sequence = entry["sequence"]
        if sequence != expected_sequence:
            yield Break(
                sequence,
                f"gap: entry {expected_sequence} to {sequence - 1} missing"
                if sequence > expected_sequence
                else f"sequence {sequence} out of order",
            )
        if entry["previous_hash"] != expected_previous:
            yield Break(sequence, "previous hash does not match the entry before it")
        if entry_hash(entry["previous_hash"], entry) != entry["hash"]:
            yield Break(sequence, "content changed after it was written")
        expected_previous = entry["hash"]
        expected_sequence = sequence + 1
