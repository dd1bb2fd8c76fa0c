"""The audit log is append-only and its hash chain exposes any tampering."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from buurtkracht.audit.models import Action, AppendOnlyError, AuditEvent, AuditSubject, Ground
from buurtkracht.audit.services import audit_record
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def write_events(personas: Personas, count: int = 5) -> list[AuditEvent]:
    person = personas.household.members.get()
    return [
        audit_record(
            action=Action.READ,
            user=personas.worker,
            subjects=[person.pk],
            obj=personas.household,
            ground=Ground.INVOLVEMENT,
            details={"page": "household", "n": n},
        )
        for n in range(count)
    ]


def verify() -> tuple[bool, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit_chain", stdout=out, stderr=err)
    except CommandError as exc:
        return False, err.getvalue() + str(exc)
    return True, out.getvalue()


def test_entries_are_chained_and_record_who_what_whom(personas: Personas) -> None:
    events = write_events(personas, 3)
    assert [e.sequence for e in events][-3:] == sorted(e.sequence for e in events)[-3:]
    assert events[1].previous_hash == events[0].hash
    event = events[0]
    assert event.actor_username == "wijkwerker"
    assert event.actor_roles == "worker"
    assert event.actor_organisation == "Gemeente Testwijk"
    assert event.object_type == "households.Household"
    assert AuditSubject.objects.filter(event=event).count() == 1
    ok, message = verify()
    assert ok, message
    assert "intact" in message


def test_application_cannot_change_or_delete_entries(personas: Personas) -> None:
    event = write_events(personas, 1)[0]
    event.reason = "verborgen"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def _raw(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refuses_changes_even_in_raw_sql(personas: Personas) -> None:
    event = write_events(personas, 1)[0]
    for sql in (
        "UPDATE audit_auditevent SET reason = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _raw(sql, [event.pk])


def _tamper(sql: str, params: list[Any]) -> None:
    """What an attacker with database access does: switch the guard off and edit."""
    if connection.vendor == "postgresql":
        # A superuser can switch triggers off for the session; the chain must still tell.
        _raw("SET LOCAL session_replication_role = replica", [])
    _raw(sql, params)


def test_changed_entry_is_reported(personas: Personas) -> None:
    events = write_events(personas)
    _tamper("UPDATE audit_auditevent SET actor_username = 'iemand' WHERE id = %s", [events[2].pk])
    ok, message = verify()
    assert not ok
    assert f"Entry {events[2].sequence}: content changed" in message


def test_deleted_entry_is_reported_as_a_gap(personas: Personas) -> None:
    events = write_events(personas)
    _tamper("DELETE FROM audit_auditsubject WHERE event_id = %s", [events[1].pk])
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    ok, message = verify()
    assert not ok
    assert "missing" in message
    assert "previous hash does not match" in message


def test_rehashed_entry_still_breaks_the_link_to_the_next(personas: Personas) -> None:
    from buurtkracht.audit.chain import HASHED_FIELDS, entry_hash

    events = write_events(personas)
    target = AuditEvent.objects.values(*HASHED_FIELDS, "previous_hash").get(pk=events[2].pk)
    target["reason"] = "weggepoetst"
    new_hash = entry_hash(target["previous_hash"], target)
    _tamper(
        "UPDATE audit_auditevent SET reason = %s, hash = %s WHERE id = %s",
        ["weggepoetst", new_hash, events[2].pk],
    )
    ok, message = verify()
    assert not ok
    assert f"Entry {events[3].sequence}: previous hash does not match" in message


def test_logins_and_failed_logins_are_logged(client: object, personas: Personas) -> None:
    from django.test import Client

    assert isinstance(client, Client)
    client.post("/accounts/login/", {"username": "wijkwerker", "password": "fout"})
    failed = AuditEvent.objects.filter(action=Action.LOGIN_FAILED).get()
    assert failed.actor_username == "wijkwerker"
    assert not failed.allowed
    assert "fout" not in str(failed.details)
    client.force_login(personas.worker)
    assert AuditEvent.objects.filter(action=Action.LOGIN, actor_id=personas.worker.pk).exists()


@pytest.mark.real_clock  # PostgreSQL's trigger checks the cutoff against its own now()
def test_retention_prunes_old_entries_behind_a_checkpoint(personas: Personas) -> None:
    import datetime as dt
    from io import StringIO

    from django.utils import timezone

    from buurtkracht.audit.anchors import checkpoint_is_signed
    from buurtkracht.audit.models import AuditCheckpoint

    events = write_events(personas, 4)
    old_time = timezone.now() - dt.timedelta(days=6 * 366)
    # Backdate the first two entries as if written six years ago (re-hashed, chain intact).
    from buurtkracht.audit.chain import HASHED_FIELDS, entry_hash

    previous = None
    for event in AuditEvent.objects.order_by("sequence"):
        fields = AuditEvent.objects.values(*HASHED_FIELDS).get(pk=event.pk)
        if event.pk in (events[0].pk, events[1].pk) or event.sequence < events[0].sequence:
            fields["occurred_at"] = old_time
        prev_hash = previous or event.previous_hash
        new_hash = entry_hash(prev_hash, fields)
        _tamper(
            "UPDATE audit_auditevent SET occurred_at = %s, previous_hash = %s, hash = %s "
            "WHERE id = %s",
            [fields["occurred_at"], prev_hash, new_hash, event.pk],
        )
        previous = new_hash
    if connection.vendor == "postgresql":
        _raw("SET LOCAL session_replication_role = origin", [])  # the guard is back on
    assert verify()[0]

    out = StringIO()
    call_command("prune_audit_log", stdout=out)
    assert "would be removed" in out.getvalue()
    assert AuditEvent.objects.filter(pk=events[0].pk).exists()

    call_command("prune_audit_log", "--apply", stdout=StringIO())
    assert not AuditEvent.objects.filter(pk__in=[events[0].pk, events[1].pk]).exists()
    assert AuditEvent.objects.filter(pk=events[2].pk).exists()
    checkpoint = AuditCheckpoint.objects.get()
    assert checkpoint.sequence == events[1].sequence
    assert checkpoint_is_signed(checkpoint)  # with the anchor key, outside the database
    ok, message = verify()
    assert ok, message
    assert f"since checkpoint #{events[1].sequence}" in message


def test_retention_below_five_years_is_refused() -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "BUURTKRACHT_AUDIT_RETENTION_YEARS": "2", "PYTHONPATH": str(root / "src")}
    env["DJANGO_SETTINGS_MODULE"] = "buurtkracht.conf.test"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "at least five years" in result.stderr


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_lets_only_the_retention_transaction_delete(personas: Personas) -> None:
    event = write_events(personas, 1)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw("DELETE FROM audit_auditsubject WHERE event_id = %s", [event.pk])
    # The retention flag set by hand does not remove a recent entry...
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw("SET LOCAL buurtkracht.audit_prune = 'on'", [])
        _raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    # ...nor does a checkpoint with a recent cutoff get in.
    with pytest.raises(DatabaseError, match="checkpoints"), transaction.atomic():
        _raw(
            "INSERT INTO audit_auditcheckpoint (sequence, hash, removed, cutoff, created_at) "
            "VALUES (%s, 'x', 1, now(), now())",
            [event.sequence],
        )
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    # Even inside the retention transaction an entry cannot be changed.
    other = write_events(personas, 1)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [other.pk])
