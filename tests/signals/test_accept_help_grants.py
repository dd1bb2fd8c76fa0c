"""Issue 15, finding 2: "help accepted" on a signal report is no way into a file.

A team member who may not open a household recorded a reached attempt on the team's
report and pressed "help accepted": they became lead worker and read the file, sensitive
notes included, though their team does not let members assign. Now the report makes an
intake for the team leader to assign, unless the one who presses may assign in the
report's team (its team leader, or a member of a team that lets members assign)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from buurtkracht.accounts.models import User
from buurtkracht.audit.models import Ground
from buurtkracht.casework.intake import intake_assign, intakes_for
from buurtkracht.casework.models import Contact, Intake
from buurtkracht.casework.services import contact_record
from buurtkracht.core.models import Team
from buurtkracht.households.grants import recent_grants
from buurtkracht.households.models import GrantPath, Involvement
from buurtkracht.households.visibility import household_ground
from buurtkracht.signals.models import Report
from buurtkracht.signals.outreach import attempt_record, report_accept_help
from buurtkracht.signals.services import delivery_receive_rows
from tests import factories
from tests.conftest import Personas
from tests.signals.helpers import signal_row

pytestmark = pytest.mark.django_db


def _reached(personas: Personas, by: User | None = None) -> Report:
    """The team's report about the personas' household (no lead worker), reached."""
    organisation = personas.partner_liaison.organisation
    assert organisation is not None
    delivery_receive_rows(organisation=organisation, rows=[signal_row(personas)], channel="api")
    report = Report.objects.get()
    assert report.household == personas.household and report.team is not None
    attempt_record(report=report, kind="phone", reached=True, user=by or personas.worker)
    return report


def test_a_member_without_a_ground_does_not_become_lead_worker_by_accepting_help(
    personas: Personas,
) -> None:
    """The attack, through the pages: the worker may not open the file before, and after
    "help accepted" still may not; the intake waits for the team leader, report linked."""
    contact_record(
        household=personas.household,
        worker=personas.team_leader,
        kind=Contact.Kind.PHONE,
        note="Vertrouwelijk: schulden bij familie",
        sensitive=True,
    )
    report = _reached(personas)
    assert household_ground(personas.worker, personas.household) is None
    client = Client()
    client.force_login(personas.worker)
    page = client.get(reverse("signals:report", args=[report.pk])).content.decode()
    assert "de teamleider" in page  # the button says what it does

    response = client.post(reverse("signals:report-act", args=[report.pk, "accept"]))

    assert response["Location"] == reverse("signals:report", args=[report.pk])
    assert "wacht op de teamleider" in client.get(response["Location"]).content.decode()
    assert not Involvement.objects.filter(household=personas.household).exists()
    assert household_ground(personas.worker, personas.household) is None
    for name in ("workspace:household", "casework:plan"):
        assert client.get(reverse(name, args=[personas.household.pk])).status_code == 404
    report.refresh_from_db()
    assert report.outcome == Report.Outcome.ACCEPTED
    intake = report.intake
    assert intake is not None
    assert intake.status == Intake.Status.NEW and intake.assigned_to is None
    assert intake.household == personas.household and intake.team_id == report.team_id
    assert intakes_for(personas.team_leader).filter(pk=intake.pk).exists()

    # The team leader assigns: that is the grant, and it is on their start page.
    intake_assign(intake=intake, worker=personas.worker, by=personas.team_leader)
    lead = Involvement.objects.get(household=personas.household)
    assert (lead.worker, lead.granted_via, lead.granted_by, lead.granted_ground) == (
        personas.worker,
        GrantPath.INTAKE,
        personas.team_leader,
        Ground.TEAM_LEADER,
    )
    assert [g.worker for g in recent_grants(personas.team_leader)] == [personas.worker]


def test_the_team_leader_who_accepts_help_becomes_lead_worker(personas: Personas) -> None:
    report = _reached(personas, by=personas.team_leader)
    report_accept_help(report=report, user=personas.team_leader)
    lead = Involvement.objects.get(household=personas.household)
    assert lead.worker == personas.team_leader and lead.kind == Involvement.Kind.LEAD
    assert (lead.granted_via, lead.granted_ground) == (GrantPath.SIGNAL, Ground.TEAM_LEADER)
    report.refresh_from_db()
    assert report.intake is not None and report.intake.status == Intake.Status.ASSIGNED


def test_in_a_team_that_lets_members_assign_the_worker_who_made_contact_leads(
    personas: Personas,
) -> None:
    report = _reached(personas)
    Team.objects.filter(pk=report.team_id or 0).update(members_may_assign=True)
    client = Client()
    client.force_login(personas.worker)
    response = client.post(reverse("signals:report-act", args=[report.pk, "accept"]))
    assert response["Location"] == reverse("casework:plan", args=[personas.household.pk])
    lead = Involvement.objects.get(household=personas.household)
    assert lead.worker == personas.worker
    assert (lead.granted_via, lead.granted_by, lead.granted_ground) == (
        GrantPath.SIGNAL,
        personas.worker,
        Ground.TEAM,
    )
    # The team's own setting granted it: the team leader sees it all the same.
    grants = recent_grants(personas.team_leader)
    assert [(g.worker, g.by) for g in grants] == [(personas.worker, personas.worker)]


def test_help_accepted_with_a_lead_worker_joins_them_and_grants_nobody(
    personas: Personas,
) -> None:
    """The path that stays direct: the file has its lead worker, who holds it already;
    the member who pressed the button is not made co-worker and still cannot open it."""
    lead_worker = factories.UserFactory.create(username="regisseur")
    Involvement.objects.create(
        household=personas.household,
        worker=lead_worker,
        kind=Involvement.Kind.LEAD,
        start_date=dt.date(2026, 1, 1),
    )
    report = _reached(personas)
    client = Client()
    client.force_login(personas.worker)
    response = client.post(reverse("signals:report-act", args=[report.pk, "accept"]))
    assert response["Location"] == reverse("signals:report", args=[report.pk])
    report.refresh_from_db()
    assert report.intake is not None
    assert report.intake.status == Intake.Status.JOINED
    assert report.intake.assigned_to == lead_worker
    assert list(personas.household.involvements.values_list("worker", flat=True)) == [
        lead_worker.pk
    ]
    assert household_ground(personas.worker, personas.household) is None
    assert client.get(reverse("workspace:household", args=[personas.household.pk])).status_code == (
        404
    )
