"""Removing signal data that led to no help after the retention period: what goes, what
stays, the anonymous counts it leaves for the monitor, and the one audit event."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from buurtkracht.audit.models import Action, AuditEvent
from buurtkracht.signals.models import (
    ContactAttempt,
    Delivery,
    MonitorCount,
    RejectedRow,
    Report,
    Signal,
)
from buurtkracht.signals.monitor import MonitorRow, MonthRange, monitor_rows
from buurtkracht.signals.retention import retention_cut_off, signals_purge
from buurtkracht.signals.services import outreach_settings
from tests import factories
from tests.conftest import Personas
from tests.signals.test_monitor import (
    FEB,
    JAN,
    LETTER,
    PHONE,
    VISIT,
    World,
    known_january,
    make_world,
)

pytestmark = pytest.mark.django_db

# Twelve months after 15 March 2027: signals before 15 March 2026 are old enough.
TODAY = dt.date(2027, 3, 15)
JUNE = dt.date(2026, 6, 1)
PERIOD = MonthRange(JAN, JUNE)


@pytest.fixture
def world(personas: Personas) -> World:
    return make_world(personas)


def shown(rows: list[MonitorRow]) -> list[list[str]]:
    """Every figure of the rows as the page shows it."""
    return [
        [
            str(f)
            for f in (
                row.signals,
                row.reports,
                row.signals_per_1000,
                row.share_multiple,
                row.share_consecutive,
                row.contact_rate,
                row.acceptance_rate,
                row.median_days,
                row.accepted,
            )
        ]
        + [
            f"{a.attempts} {a.reached} {a.reach_rate}"
            for a in row.attempt_figures([LETTER, PHONE, VISIT])
        ]
        for row in rows
    ]


def test_cut_off_counts_back_whole_months() -> None:
    assert retention_cut_off(TODAY, 12) == dt.date(2026, 3, 15)
    assert retention_cut_off(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert retention_cut_off(dt.date(2026, 1, 10), 2) == dt.date(2025, 11, 10)


def test_purge_removes_old_no_help_reports_and_keeps_the_rest(world: World) -> None:
    known_january(world)  # 4 accepted, 2 declined, 4 not reached; all closed
    person = world.personas.household.members.get()
    declined_with_person = world.report(JAN, outcome=Report.Outcome.DECLINED, person=person)
    still_open = world.report(JAN, status=Report.Status.OPEN)
    late_signal = world.report(
        JAN, signals=2, outcome=Report.Outcome.NOT_REACHED, last_signal=dt.date(2026, 3, 20)
    )
    recent = world.report(JUNE, outcome=Report.Outcome.DECLINED)
    accepted = set(Report.objects.filter(outcome=Report.Outcome.ACCEPTED).values_list("pk"))

    result = signals_purge(today=TODAY, by=world.personas.functional_admin)

    assert result.cut_off == dt.date(2026, 3, 15)
    assert result.reports == 7  # 2 declined + 4 not reached + the one with a person
    assert result.signals == 7
    assert result.attempts == 6 * 2 + 3
    assert result.persons == {person.pk}
    left = set(Report.objects.values_list("pk"))
    assert accepted <= left
    assert {(still_open.pk,), (late_signal.pk,), (recent.pk,)} <= left
    assert not Report.objects.filter(pk=declined_with_person.pk).exists()
    assert Report.objects.count() == 4 + 3
    # Signals and attempts went with their reports.
    assert not Signal.objects.exclude(report__in=Report.objects.all()).exists()
    assert ContactAttempt.objects.filter(report__outcome=Report.Outcome.DECLINED).count() == 0

    # One audit event, naming the residents the signals were linked to.
    (event,) = AuditEvent.objects.filter(action=Action.DELETE)
    assert event.subject_ids == [person.pk]
    assert event.actor_username == world.personas.functional_admin.username
    assert event.details["reports"] == 7
    assert event.details["signals"] == 7
    assert event.details["cut_off"] == "2026-03-15"


def test_monitor_figures_are_the_same_after_the_purge(world: World) -> None:
    known_january(world)
    for _ in range(4):
        world.report(FEB, outcome=Report.Outcome.NOT_REACHED, attempts=[(LETTER, False)])
    world.report(FEB, outcome=Report.Outcome.ACCEPTED, days_to_first_attempt=7)
    views = [
        {"months": PERIOD},
        {"months": PERIOD, "group_by": "team"},
        {"months": PERIOD, "group_by": "neighbourhood"},
        {"months": PERIOD, "team_id": world.team.pk},
        {"months": PERIOD, "neighbourhood_id": world.area.pk, "group_by": "team"},
    ]
    before = [shown(monitor_rows(**view)) for view in views]  # type: ignore[arg-type]
    counts_before = [r.counts for r in monitor_rows(months=PERIOD)]

    result = signals_purge(today=TODAY)

    assert result.reports == 6 + 4
    assert [shown(monitor_rows(**view)) for view in views] == before  # type: ignore[arg-type]
    assert [r.counts for r in monitor_rows(months=PERIOD)] == counts_before
    january = MonitorCount.objects.get(month=JAN)
    assert (january.team_id, january.neighbourhood_id) == (world.team.pk, world.area.pk)
    assert (january.reports, january.signals, january.reached, january.accepted) == (6, 6, 2, 0)
    assert january.attempts[LETTER] == [6, 0]
    assert january.attempts[PHONE] == [6, 2]
    assert january.attempts[VISIT] == [3, 0]
    assert january.attempts["_first_attempt_days"] == {"2": 1, "3": 2, "4": 1, "5": 1, "10": 1}


def test_purge_adds_to_counts_kept_before_and_is_idempotent(world: World) -> None:
    MonitorCount.objects.create(
        month=JAN, team=world.team, neighbourhood=world.area, signals=3, reports=2, reached=1
    )
    world.report(JAN, outcome=Report.Outcome.NOT_REACHED, attempts=[(PHONE, False)])
    world.report(JAN, outcome=Report.Outcome.DECLINED, attempts=[(PHONE, True)])

    signals_purge(today=TODAY)
    signals_purge(today=TODAY)  # nothing left to remove: no change, no second event

    (kept,) = MonitorCount.objects.all()
    assert (kept.signals, kept.reports, kept.reached) == (5, 4, 2)
    assert kept.attempts[PHONE] == [2, 1]
    assert AuditEvent.objects.filter(action=Action.DELETE).count() == 1


def test_retention_period_is_the_municipalitys_setting(world: World) -> None:
    world.report(JUNE, outcome=Report.Outcome.NOT_REACHED)
    assert signals_purge(today=TODAY).reports == 0
    settings = outreach_settings()
    settings.retention_months = 6
    settings.save()
    assert signals_purge(today=TODAY).reports == 1


def test_rows_set_aside_of_old_deliveries_go_too(world: World) -> None:
    old = Delivery.objects.create(
        organisation=world.delivery.organisation, channel=Delivery.Channel.UPLOAD, checksum="o"
    )
    Delivery.objects.filter(pk=old.pk).update(
        received_at=timezone.make_aware(dt.datetime(2026, 1, 10, 9, 0))
    )
    RejectedRow.objects.create(delivery=old, line=2, raw={"naam": "X"}, errors=["postcode"])
    RejectedRow.objects.create(delivery=world.delivery, line=3, raw={}, errors=[])

    result = signals_purge(today=TODAY)

    assert result.rejected_rows == 1
    assert list(RejectedRow.objects.values_list("delivery_id", flat=True)) == [world.delivery.pk]
    assert Delivery.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.get(action=Action.DELETE).details["rejected_rows"] == 1


def test_dry_run_changes_nothing(world: World) -> None:
    known_january(world)
    result = signals_purge(today=TODAY, dry_run=True)
    assert result.reports == 6
    assert Report.objects.count() == 10
    assert not MonitorCount.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.DELETE).exists()


def test_command(world: World) -> None:
    known_january(world)
    out = io.StringIO()
    call_command("purge_signals", "--dry-run", "--today", "2027-03-15", stdout=out)
    assert "2026-01: 6 reports" in out.getvalue()
    assert "would be removed" in out.getvalue()
    assert Report.objects.count() == 10
    out = io.StringIO()
    call_command("purge_signals", "--today", "2027-03-15", stdout=out)
    assert "6 reports" in out.getvalue()
    assert Report.objects.count() == 4


def test_a_person_is_not_touched(world: World) -> None:
    person = factories.PersonFactory.create()
    world.report(JAN, outcome=Report.Outcome.NOT_REACHED, person=person)
    signals_purge(today=TODAY)
    person.refresh_from_db()  # the resident stays; only the signal about them goes


def test_remembered_match_decisions_go_after_the_period(world: World) -> None:
    from buurtkracht.signals.models import MatchDecision

    organisation = world.delivery.organisation
    old = MatchDecision.objects.create(
        organisation=organisation, key="old", person=None, decided_by=world.personas.signal_officer
    )
    MatchDecision.objects.filter(pk=old.pk).update(
        decided_at=timezone.make_aware(dt.datetime(2026, 1, 10, 9, 0))
    )
    recent = MatchDecision.objects.create(
        organisation=organisation, key="new", person=None, decided_by=world.personas.signal_officer
    )
    assert signals_purge(today=TODAY, dry_run=True).decisions == 1
    assert MatchDecision.objects.count() == 2
    result = signals_purge(today=TODAY)
    assert result.decisions == 1
    assert list(MatchDecision.objects.values_list("pk", flat=True)) == [recent.pk]
    assert AuditEvent.objects.get(action=Action.DELETE).details["match_decisions"] == 1
