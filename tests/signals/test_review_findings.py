"""Findings of the review of the signals app, each pinned down by a test."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtkracht.audit.models import Action, AuditEvent
from buurtkracht.core.models import Team
from buurtkracht.households.models import Membership
from buurtkracht.signals.models import Delivery, Report, Signal
from buurtkracht.signals.outreach import (
    attempt_record,
    report_accept_help,
    report_close,
    report_reopen,
)
from buurtkracht.signals.services import batches, deliveries, delivery_receive_rows
from tests import factories
from tests.conftest import Personas
from tests.signals.helpers import resident_of, signal_row

pytestmark = pytest.mark.django_db


def _deliver(personas: Personas, *rows: dict[str, str]) -> Delivery:
    organisation = personas.partner_liaison.organisation
    assert organisation is not None
    return delivery_receive_rows(organisation=organisation, rows=list(rows), channel="api").delivery


def test_the_review_decision_is_limited_to_adults_behind_the_signals_door(
    personas: Personas,
) -> None:
    person = resident_of(personas)
    _deliver(
        personas,
        signal_row(personas, surname=person.surname[:-1] + "q", date_of_birth="", initials=""),
    )
    signal = Signal.objects.get()
    assert signal.match_status == "review"
    # No household yet: the link is only a proposal.
    assert signal.report.household_id is None
    address = personas.household.address
    neighbour = factories.MembershipFactory.create(
        household__address=factories.AddressFactory.create(
            postcode=address.postcode,
            house_number=address.house_number,
            house_letter="B",
            neighbourhood=address.neighbourhood,
        )
    )
    child = factories.PersonFactory.create(
        surname=person.surname, date_of_birth=dt.date(2015, 1, 1)
    )
    Membership.objects.create(household=personas.household, person=child, role="child")
    client = Client()
    client.force_login(personas.signal_officer)
    url = reverse("signals:review-decide", args=[signal.pk])
    assert client.post(url, {"person": neighbour.person_id}).status_code == 404
    assert client.post(url, {"person": child.pk}).status_code == 404
    client.post(url, {"person": "²"})  # not a number: refused, nothing decided
    signal.refresh_from_db()
    assert signal.match_status == "review"
    client.post(url, {"person": person.pk})
    signal.refresh_from_db()
    assert signal.match_status == "confirmed"
    assert signal.report.household_id == personas.household.pk


def test_deciding_nobody_detaches_the_report_from_the_household(personas: Personas) -> None:
    person = resident_of(personas)
    _deliver(
        personas,
        signal_row(personas, surname=person.surname[:-1] + "q", date_of_birth="", initials=""),
    )
    signal = Signal.objects.get()
    Report.objects.filter(pk=signal.report_id).update(household=personas.household)
    client = Client()
    client.force_login(personas.signal_officer)
    client.post(reverse("signals:review-decide", args=[signal.pk]), {"person": "none"})
    signal.refresh_from_db()
    assert signal.match_status == "no_match"
    assert signal.report.household_id is None


def _reached(personas: Personas) -> Report:
    _deliver(personas, signal_row(personas))
    report = Report.objects.get()
    attempt_record(report=report, kind="phone", reached=True, user=personas.worker)
    return report


def test_help_is_accepted_once_and_only_by_the_reports_team(personas: Personas) -> None:
    report = _reached(personas)
    with pytest.raises(ValidationError):
        report_accept_help(report=report, user=personas.signal_officer)
    with pytest.raises(ValidationError):
        report_accept_help(report=report, user=personas.colleague)
    report_accept_help(report=report, user=personas.worker)
    report.refresh_from_db()
    with pytest.raises(ValidationError):
        report_reopen(report=report, user=personas.worker)
    with pytest.raises(ValidationError):
        report_accept_help(report=report, user=personas.worker)
    assert report.intake is not None


def test_a_new_signal_reopens_a_report_closed_without_help(personas: Personas) -> None:
    report = _reached(personas)
    report_close(report=report, outcome="declined", user=personas.worker)
    _deliver(personas, signal_row(personas, ref="R-2"))
    report.refresh_from_db()
    assert report.status == Report.Status.OPEN and report.outcome == ""
    assert report.signals.count() == 2
    assert report.first_attempt_at is None


def test_a_leap_day_import_works(personas: Personas) -> None:
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2028, 2, 29)):
        _deliver(personas, signal_row(personas, signal_date="2028-02-28"))
    assert Signal.objects.count() == 1


def test_values_too_long_for_the_register_are_set_aside(personas: Personas) -> None:
    delivery = _deliver(
        personas, signal_row(personas, ref="R" * 70), signal_row(personas, ref="R-3", town="x" * 90)
    )
    assert delivery.rows_rejected == 2 and delivery.rows_valid == 0
    fields = sorted(e["field"] for row in delivery.rejected_rows.all() for e in row.errors)
    assert fields == ["partner_reference", "town"]


def test_a_failing_batch_marks_the_delivery_and_logs_what_was_taken_in(
    personas: Personas,
) -> None:
    real = batches._take_in_batch
    calls = {"n": 0}

    def flaky(*args: object, **kwargs: object) -> set[int]:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("database went away")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    with (
        mock.patch.object(deliveries, "BATCH_SIZE", 1),
        mock.patch.object(deliveries, "_take_in_batch", flaky),
        pytest.raises(RuntimeError),
    ):
        _deliver(personas, signal_row(personas), signal_row(personas, ref="R-2"))
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert "regel 1 van 2" in delivery.message or "line 1 of 2" in delivery.message
    event = AuditEvent.objects.get(object_type="signals.Delivery", action=Action.CREATE)
    assert resident_of(personas).pk in event.subject_ids
    # Delivering again completes it, nothing twice.
    _deliver(personas, signal_row(personas), signal_row(personas, ref="R-2"))
    assert Signal.objects.count() == 2


def test_a_corrected_row_whose_reference_came_in_meanwhile_is_not_called_taken_in(
    personas: Personas,
) -> None:
    from buurtkracht.signals.models import RejectedRow

    _deliver(personas, signal_row(personas, ref="R-5", postcode="1234"))
    row = RejectedRow.objects.get()
    _deliver(personas, signal_row(personas, ref="R-5"))  # the partner's system sent it again, right
    client = Client()
    client.force_login(personas.partner_liaison)
    data = {f"row{row.pk}-{k}": v for k, v in row.raw.items()}
    data[f"row{row.pk}-postcode"] = personas.household.address.postcode
    response = client.post(
        reverse("signals:row-correct", args=[row.delivery_id, row.pk]), data, follow=True
    )
    assert "al eerder aangeleverd" in response.content.decode()
    assert Signal.objects.filter(partner_reference="R-5").count() == 1


def test_work_recorded_afterwards_keeps_its_own_moment_but_never_a_future_one(
    personas: Personas,
) -> None:
    """A worker closes a report they settled yesterday; the monitor counts it in the
    month it happened. "Tomorrow" is refused, whatever the hour."""
    report = _reached(personas)
    with pytest.raises(ValidationError):
        report_close(
            report=report,
            outcome="declined",
            user=personas.worker,
            at=timezone.now() + dt.timedelta(hours=1),
        )
    yesterday = timezone.now() - dt.timedelta(days=1)
    report_close(report=report, outcome="declined", user=personas.worker, at=yesterday)
    report.refresh_from_db()
    assert report.closed_at == yesterday

    other = _reached_again(personas)
    # A self-steering team: the worker who made contact becomes lead worker themselves.
    Team.objects.filter(pk=other.team_id or 0).update(members_may_assign=True)
    with pytest.raises(ValidationError):
        report_accept_help(
            report=other, user=personas.worker, at=timezone.now() + dt.timedelta(hours=1)
        )
    household = report_accept_help(report=other, user=personas.worker, at=yesterday)
    other.refresh_from_db()
    assert other.closed_at == yesterday
    lead = household.involvements.get(worker=personas.worker)
    assert lead.start_date == timezone.localtime(yesterday).date()


def _reached_again(personas: Personas) -> Report:
    _deliver(personas, signal_row(personas, ref="R-9"))
    report = Report.objects.get(status=Report.Status.OPEN)
    attempt_record(report=report, kind="phone", reached=True, user=personas.worker)
    return report


def test_help_accepted_for_a_household_with_a_lead_worker_lands_with_them(
    personas: Personas,
) -> None:
    """The report joins the existing file; its intake goes to the lead worker at once,
    never a "new" intake that the team leader can neither assign nor close."""
    from buurtkracht.casework.intake import intakes_for
    from buurtkracht.casework.models import Intake

    lead_worker = factories.UserFactory.create(username="regisseur")
    personas.household.involvements.create(
        worker=lead_worker, kind="lead", start_date=timezone.localdate()
    )
    report = _reached(personas)
    Report.objects.filter(pk=report.pk).update(household=personas.household)
    report.refresh_from_db()
    report_accept_help(report=report, user=personas.worker)

    intake = Intake.objects.get(household=personas.household)
    assert intake.status == Intake.Status.JOINED
    assert intake.assigned_to == lead_worker
    assert intake.closed_at is not None
    assert not intakes_for(personas.team_leader).filter(pk=intake.pk).exists()
    leads = personas.household.involvements.filter(kind="lead", end_date__isnull=True)
    assert list(leads.values_list("worker", flat=True)) == [lead_worker.pk]
