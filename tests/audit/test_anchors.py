"""The audit log cannot be shortened, emptied or recomputed unseen (issue 15, finding 5):
the chain's head is anchored outside the database, signed with a key the database does
not hold, and `verify_audit_chain` checks the log against those anchors."""

from __future__ import annotations

import datetime as dt
import json
import stat
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from buurtkracht.audit.anchors import (
    GENERATED_KEY_NAME,
    anchor_key,
    anchor_write,
    checkpoint_signature,
    read_anchors,
)
from buurtkracht.audit.chain import HASHED_FIELDS, entry_hash
from buurtkracht.audit.models import AuditEvent
from tests.audit.test_chain import _raw, _tamper, verify, write_events
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

only_postgresql = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="needs PostgreSQL's triggers and raw SQL"
)


def anchor() -> str:
    out = StringIO()
    call_command("anchor_audit_chain", stdout=out, stderr=StringIO())
    return out.getvalue()


_DELETES = {
    "from": (
        "DELETE FROM audit_auditsubject WHERE event_id IN "
        "(SELECT id FROM audit_auditevent WHERE sequence >= %s)",
        "DELETE FROM audit_auditevent WHERE sequence >= %s",
    ),
    "up to": (
        "DELETE FROM audit_auditsubject WHERE event_id IN "
        "(SELECT id FROM audit_auditevent WHERE sequence <= %s)",
        "DELETE FROM audit_auditevent WHERE sequence <= %s",
    ),
}


def delete_entries(which: str, sequence: int) -> None:
    """Remove entries (`from` or `up to` a sequence) with their "who looked" rows, the
    guard switched off."""
    for sql in _DELETES[which]:
        _tamper(sql, [sequence])


def test_an_intact_log_verifies_and_is_anchored(personas: Personas) -> None:
    events = write_events(personas, 3)
    assert f"Anchored #{events[-1].sequence}" in anchor()
    ok, message = verify()
    assert ok, message
    assert "against 1 anchors" in message
    anchors = read_anchors()
    assert not anchors.problems
    # The timer's anchor and the verification's anchor, the second recording the result.
    assert [(a.sequence, a.verified) for a in anchors.anchors] == [
        (events[-1].sequence, None),
        (events[-1].sequence, True),
    ]
    assert anchors.anchors[1].previous == anchors.anchors[0].signature


# The five attacks of the finding --------------------------------------------------------


def test_attack_1_deleting_the_newest_entries_is_reported(personas: Personas) -> None:
    events = write_events(personas, 5)
    anchor()
    delete_entries("from", events[3].sequence)
    ok, message = verify()
    assert not ok
    assert f"Entry {events[4].sequence}: anchored at" in message
    assert "missing: the log was shortened or emptied" in message
    # The timer notices too, at its next run.
    with pytest.raises(CommandError, match="BROKEN since the previous anchor"):
        call_command("anchor_audit_chain", stdout=StringIO(), stderr=StringIO())


def test_attack_2_emptied_who_looked_rows_are_reported(personas: Personas) -> None:
    events = write_events(personas, 3)
    _tamper("DELETE FROM audit_auditsubject", [])
    ok, message = verify()
    assert not ok
    for event in events:
        assert f'Entry {event.sequence}: its "who looked" rows do not match' in message


@only_postgresql
def test_attack_2_postgresql_refuses_truncate(personas: Personas) -> None:
    write_events(personas, 2)
    name = connection.ops.quote_name(connection.settings_dict["NAME"])
    for table in ("audit_auditsubject", "audit_auditevent", "audit_auditcheckpoint"):
        with pytest.raises(DatabaseError, match="TRUNCATE"), transaction.atomic():
            # The test database is marked disposable for Django's flush; a real one is not.
            _raw(f"ALTER DATABASE {name} RESET buurtkracht.disposable", [])
            _raw("SET LOCAL buurtkracht.disposable = 'on'", [])  # a session's own is no use
            _raw(f"TRUNCATE {table} CASCADE", [])
    assert AuditEvent.objects.count() >= 2


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_database_marked_disposable_may_still_be_emptied(personas: Personas) -> None:
    """The test suite's flush (TRUNCATE) works in a test database, which is marked so."""
    write_events(personas, 2)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()


@only_postgresql
def test_attack_2_truncate_with_the_triggers_off_is_reported(personas: Personas) -> None:
    write_events(personas, 3)
    anchor()
    _raw("SET CONSTRAINTS ALL IMMEDIATE", [])  # no pending foreign-key checks left
    _tamper("TRUNCATE audit_auditsubject", [])
    ok, message = verify()
    assert not ok
    assert '"who looked" rows do not match' in message
    _tamper("TRUNCATE audit_auditsubject, audit_auditevent", [])
    ok, message = verify()
    assert not ok
    assert "missing: the log was shortened or emptied" in message


def _recompute_from(sequence: int, **changes: Any) -> None:
    """Change entry `sequence` and recompute every hash after it: a consistent chain."""
    previous: str | None = None
    for event in AuditEvent.objects.filter(sequence__gte=sequence).order_by("sequence"):
        fields = AuditEvent.objects.values(*HASHED_FIELDS).get(pk=event.pk)
        if event.sequence == sequence:
            fields.update(changes)
        prev_hash = previous or event.previous_hash
        new_hash = entry_hash(prev_hash, fields)
        _tamper(
            "UPDATE audit_auditevent SET reason = %s, previous_hash = %s, hash = %s WHERE id = %s",
            [fields["reason"], prev_hash, new_hash, event.pk],
        )
        previous = new_hash


def test_attack_3_a_change_with_every_later_hash_recomputed_is_reported(
    personas: Personas,
) -> None:
    events = write_events(personas, 5)
    anchor()
    _recompute_from(events[1].sequence, reason="weggepoetst")
    # The chain on its own is consistent again...
    from buurtkracht.audit.verification import verify_log

    no_anchors = Path(settings.AUDIT_ANCHOR_FILE).with_name("none.log")
    assert verify_log(anchor_path=no_anchors).ok
    # ...but not against the anchor.
    ok, message = verify()
    assert not ok
    assert f"Entry {events[4].sequence}: differs from its anchor" in message


def _adapt(moment: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def _times(*, days_ago: int) -> list[Any]:
    """A cutoff `days_ago` and a creation time of now, as raw SQL parameters."""
    now = timezone.now()
    return [_adapt(now - dt.timedelta(days=days_ago)), _adapt(now)]


@pytest.mark.real_clock  # PostgreSQL's checkpoint guard compares the cutoff with its now()
def test_attack_4_a_forged_old_checkpoint_followed_by_deletions_is_reported(
    personas: Personas,
) -> None:
    events = write_events(personas, 5)
    anchor()
    target = events[2]
    # An old cutoff passes the database's checkpoint guard; no signature can be made.
    _raw(
        "INSERT INTO audit_auditcheckpoint "
        "(sequence, hash, removed, cutoff, created_at, signature) "
        "VALUES (%s, %s, %s, %s, %s, '')",
        [target.sequence, target.hash, target.sequence, *_times(days_ago=2200)],
    )
    delete_entries("up to", target.sequence)
    ok, message = verify()
    assert not ok
    assert f"Checkpoint #{target.sequence}: not signed with the anchor key" in message


@pytest.mark.real_clock
def test_a_signed_checkpoint_with_changed_numbers_is_reported(personas: Personas) -> None:
    events = write_events(personas, 3)
    cutoff = timezone.now() - dt.timedelta(days=2200)
    # A real signature, copied onto a checkpoint that names a later entry.
    signature = checkpoint_signature(
        sequence=events[0].sequence, hash=events[0].hash, removed=1, cutoff=cutoff
    )
    _raw(
        "INSERT INTO audit_auditcheckpoint "
        "(sequence, hash, removed, cutoff, created_at, signature) VALUES (%s, %s, 1, %s, %s, %s)",
        [events[1].sequence, events[1].hash, *map(_adapt, (cutoff, timezone.now())), signature],
    )
    ok, message = verify()
    assert not ok
    assert f"Checkpoint #{events[1].sequence}: not signed" in message


@only_postgresql
def test_attack_5_disable_trigger_then_delete_is_reported(personas: Personas) -> None:
    events = write_events(personas, 5)
    anchor()
    _raw("SET CONSTRAINTS ALL IMMEDIATE", [])  # no pending foreign-key checks left
    for table in ("audit_auditsubject", "audit_auditevent"):
        _raw(f"ALTER TABLE {table} DISABLE TRIGGER USER", [])
    for sql in _DELETES["from"]:
        _raw(sql, [events[3].sequence])
    ok, message = verify()
    assert not ok
    assert "switched off (DISABLE TRIGGER)" in message
    assert "missing: the log was shortened or emptied" in message
    # Switched on again afterwards, the removal still shows.
    for table in ("audit_auditsubject", "audit_auditevent"):
        _raw(f"ALTER TABLE {table} ENABLE TRIGGER USER", [])
    ok, message = verify()
    assert not ok
    assert "DISABLE TRIGGER" not in message
    assert f"Entry {events[4].sequence}: anchored at" in message


# The anchor file itself --------------------------------------------------------------------


def _lines() -> list[str]:
    return Path(settings.AUDIT_ANCHOR_FILE).read_text(encoding="utf-8").splitlines()


def _write_lines(lines: list[str]) -> None:
    Path(settings.AUDIT_ANCHOR_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_changed_or_forged_anchor_line_is_reported(personas: Personas) -> None:
    write_events(personas, 2)
    anchor()
    lines = _lines()
    data = json.loads(lines[0])
    data["sequence"] = 1
    _write_lines([json.dumps(data)])
    ok, message = verify()
    assert not ok
    assert "signature does not match" in message


def test_a_removed_anchor_line_is_reported(personas: Personas) -> None:
    write_events(personas, 1)
    anchor()
    write_events(personas, 1)
    anchor()
    anchor()
    lines = _lines()
    _write_lines([lines[0], lines[2]])
    ok, message = verify()
    assert not ok
    assert "Anchor line 3: does not follow line 1" in message
    _write_lines(lines[1:])
    ok, message = verify()
    assert not ok
    assert "Anchor line 2: is the first in the file" in message


def test_anchors_are_signed_with_the_anchor_key_not_the_secret_key(personas: Personas) -> None:
    write_events(personas, 1)
    anchor()
    with override_settings(AUDIT_ANCHOR_KEY=settings.SECRET_KEY):
        ok, message = verify()
    assert not ok
    assert "signature does not match" in message


def test_outside_production_a_key_is_generated_into_the_data_folder(tmp_path: Path) -> None:
    with override_settings(AUDIT_ANCHOR_KEY="", DATA_DIR=tmp_path):
        key = anchor_key()
        path = tmp_path / GENERATED_KEY_NAME
        assert path.read_text(encoding="utf-8").strip().encode() == key
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert anchor_key() == key
    assert len(key) >= 48


def test_anchor_lines_go_to_the_system_log_too(
    personas: Personas, caplog: pytest.LogCaptureFixture
) -> None:
    write_events(personas, 1)
    with caplog.at_level("INFO", logger="buurtkracht.audit.anchors"):
        written = anchor_write()
    assert written.line() in caplog.text


@only_postgresql
def test_the_recommended_application_role_cannot_switch_the_guards_off(
    personas: Personas,
) -> None:
    """docs/operations.md, "The database role": a role that owns no table and has the
    grants shown there cannot disable triggers, truncate, or replicate its way past them."""
    import uuid

    write_events(personas, 2)
    role = f"bk_app_{uuid.uuid4().hex[:12]}"  # roles are cluster-wide; rolled back below
    _raw(f"CREATE ROLE {role} NOLOGIN NOSUPERUSER", [])
    _raw(f"GRANT USAGE ON SCHEMA public TO {role}", [])
    _raw(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}", [])
    _raw(f"REVOKE UPDATE ON audit_auditevent, audit_auditsubject FROM {role}", [])
    name = connection.ops.quote_name(connection.settings_dict["NAME"])
    _raw(f"ALTER DATABASE {name} RESET buurtkracht.disposable", [])
    _raw(f"SET LOCAL ROLE {role}", [])
    attempts = {
        "ALTER TABLE audit_auditevent DISABLE TRIGGER USER": "must be owner",
        "TRUNCATE audit_auditsubject": "permission denied|append-only",
        "SET LOCAL session_replication_role = replica": "permission denied",
        "DELETE FROM audit_auditevent": "append-only",
        "UPDATE audit_auditevent SET reason = 'x'": "permission denied",
    }
    for sql, refusal in attempts.items():
        with pytest.raises(DatabaseError, match=refusal), transaction.atomic():
            _raw(sql, [])
    _raw("RESET ROLE", [])
    assert AuditEvent.objects.count() >= 2
