"""The full check of the audit log, for `verify_audit_chain` (and the demo).

It walks the chain from the newest signed checkpoint (or the genesis) and reports:

- a changed, removed or inserted entry (the hash chain, `chain.verify`);
- "who looked" rows (`AuditSubject`) that no longer match the residents an entry names;
- an entry whose hash differs from an anchor, or an anchored entry that is gone: the log
  was recomputed, shortened or emptied (`anchors`);
- anchor lines that are forged, changed, removed or reordered;
- a retention checkpoint that is not signed with the anchor key;
- on PostgreSQL, a guard trigger that is missing or switched off.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection

from buurtkracht.audit.anchors import (
    Anchor,
    anchor_matches_database,
    checkpoint_is_signed,
    read_anchors,
)
from buurtkracht.audit.chain import GENESIS, HASHED_FIELDS, verify
from buurtkracht.audit.models import AuditCheckpoint, AuditEvent, AuditSubject

CHUNK = 5000

# The triggers of migrations 0002, 0006 and 0007 that must stay in place and switched on.
GUARD_TRIGGERS = {
    "audit_auditevent": ("audit_auditevent_append_only", "audit_auditevent_no_truncate"),
    "audit_auditsubject": ("audit_auditsubject_append_only", "audit_auditsubject_no_truncate"),
    "audit_auditcheckpoint": ("audit_auditcheckpoint_guard", "audit_auditcheckpoint_no_truncate"),
}


@dataclass
class Report:
    entries: int = 0
    since_checkpoint: int | None = None
    anchors: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _entries(up_to: int) -> Iterator[dict[str, Any]]:
    """Entries in sequence order with the residents of their "who looked" rows, in chunks."""
    after = -1
    while True:
        chunk = list(
            AuditEvent.objects.filter(sequence__gt=after, sequence__lte=up_to)
            .order_by("sequence")
            .values("id", *HASHED_FIELDS, "previous_hash", "hash")[:CHUNK]
        )
        if not chunk:
            return
        rows: dict[int, list[int]] = defaultdict(list)
        for event_id, person_id in AuditSubject.objects.filter(
            event__sequence__gte=chunk[0]["sequence"], event__sequence__lte=chunk[-1]["sequence"]
        ).values_list("event_id", "person_id"):
            rows[event_id].append(person_id)
        for entry in chunk:
            entry["subject_rows"] = sorted(rows.get(entry["id"], []))
            yield entry
        after = chunk[-1]["sequence"]


def _subject_problem(entry: dict[str, Any]) -> str:
    named = sorted({int(s) for s in entry["subject_ids"]})
    rows = entry["subject_rows"]
    if rows == named:
        return ""
    missing = len(set(named) - set(rows))
    extra = len(rows) - (len(named) - missing)
    return (
        f'Entry {entry["sequence"]}: its "who looked" rows do not match the residents it '
        f"names ({missing} missing, {extra} other)"
    )


def _trigger_problems() -> list[str]:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname, t.tgenabled FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relname = ANY(%s) AND NOT t.tgisinternal",
            [list(GUARD_TRIGGERS)],
        )
        present = {(table, name): enabled for table, name, enabled in cursor.fetchall()}
    problems = []
    for table, names in GUARD_TRIGGERS.items():
        for name in names:
            state = present.get((table, name))
            if state is None:
                problems.append(f"Trigger {name} on {table}: missing")
            elif state == "D":
                problems.append(f"Trigger {name} on {table}: switched off (DISABLE TRIGGER)")
    return problems


def verify_log(anchor_path: Path | None = None) -> Report:
    report = Report()
    # The anchors first, the head after: every anchor read was written before the head was
    # taken, so an anchored entry beyond the head means entries were removed.
    anchor_file = read_anchors(anchor_path)
    report.problems.extend(anchor_file.problems)
    report.anchors = len(anchor_file.anchors)
    head = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0

    checkpoints = list(AuditCheckpoint.objects.order_by("-sequence"))
    for checkpoint in checkpoints:
        if not checkpoint_is_signed(checkpoint):
            report.problems.append(
                f"Checkpoint #{checkpoint.sequence}: not signed with the anchor key: entries "
                "may have been removed behind a checkpoint made by hand"
            )
    newest = checkpoints[0] if checkpoints else None
    start_sequence = newest.sequence if newest else 0
    report.since_checkpoint = newest.sequence if newest else None

    anchored: dict[int, list[Anchor]] = defaultdict(list)
    for anchor in anchor_file.anchors:
        anchored[anchor.sequence].append(anchor)

    def walked() -> Iterator[dict[str, Any]]:
        for entry in _entries(head):
            report.entries += 1
            problem = _subject_problem(entry)
            if problem:
                report.problems.append(problem)
            for anchor in anchored.pop(entry["sequence"], []):
                if anchor.hash != entry["hash"]:
                    report.problems.append(anchor_matches_database(anchor))
            yield entry

    breaks = list(
        verify(
            walked(), start_hash=newest.hash if newest else GENESIS, start_sequence=start_sequence
        )
    )
    report.problems.extend(f"Entry {b.sequence}: {b.problem}" for b in breaks)
    # Anchored entries the walk did not meet: gone, unless pruned behind a signed checkpoint.
    pruned_behind = start_sequence if newest is not None and checkpoint_is_signed(newest) else 0
    for sequence in sorted(anchored):
        if sequence < pruned_behind:
            continue
        problem = anchor_matches_database(anchored[sequence][0])
        if problem:
            report.problems.append(problem)
    report.problems.extend(_trigger_problems())
    return report
