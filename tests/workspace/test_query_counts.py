"""*Mijn werk* for every role and the household page take a fixed number of queries,
whatever the data (issue 18: "keep a constant number of queries as data grows"). Each test
measures the page with 2 of everything the page lists, then with 20."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from buurtkracht.casework.models import Contact, Intake, Plan
from buurtkracht.casework.services import action_add, goal_add, plan_get_or_create
from buurtkracht.households.models import EmergencyAccess, GrantPath, Household, Involvement
from buurtkracht.signals.models import Delivery, RejectedRow, Report, Signal
from tests import factories
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
_serial = itertools.count(1)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def _report(personas: Personas, household: Household, serial: int) -> Report:
    today = timezone.localdate()
    address = household.address
    report = Report.objects.create(
        address_key=f"groei|{serial}",
        month=today.replace(day=1),
        address=address,
        household=household,
        team=personas.team_leader.team_memberships.get().team,
        neighbourhood=address.neighbourhood,
        first_signal_date=today - 10 * DAY,
        first_attempt_due=today - 3 * DAY,
    )
    partner = personas.partner_liaison.organisation
    assert partner is not None
    delivery = Delivery.objects.create(organisation=partner, channel="api", checksum=f"g{serial}")
    RejectedRow.objects.create(delivery=delivery, line=2, raw={}, errors=["postcode"])
    Signal.objects.create(
        delivery=delivery,
        organisation=partner,
        partner_kind="housing",
        partner_reference=f"G-{serial}",
        signal_date=today - 10 * DAY,
        surname="Groei",
        street=address.street,
        house_number=address.house_number,
        postcode=address.postcode,
        report=report,
        person=household.members.first(),
        match_status="review",
    )
    return report


def _grow(personas: Personas, n: int) -> None:
    """n more of everything the start pages list: households the worker leads (granted now,
    so the team leader's list of grants grows), with plans, goals, actions and reviews due
    and contacts; new intakes for the team; signal reports with uncertain signals and rows
    set aside; uses of emergency access to review."""
    today = timezone.localdate()
    area = personas.household.address.neighbourhood
    team = personas.team_leader.team_memberships.get().team
    for _ in range(n):
        serial = next(_serial)
        household = factories.MembershipFactory.create(
            household__address__neighbourhood=area, household__address__house_number=5000 + serial
        ).household
        factories.MembershipFactory.create(household=household)
        Involvement.objects.create(
            household=household,
            worker=personas.worker,
            kind=Involvement.Kind.LEAD,
            start_date=today,
            granted_via=GrantPath.INTAKE,
            granted_by=personas.team_leader,
            granted_ground="team_leader",
            granted_team=team,
            granted_at=timezone.now(),
        )
        plan = plan_get_or_create(household=household, user=personas.worker)
        Plan.objects.filter(pk=plan.pk).update(review_date=today + DAY)
        goal = goal_add(plan=plan, text="Rust", domains=["finances"], user=personas.worker)
        action_add(
            goal=goal,
            description="Bellen",
            owner="Zelf",
            step=1,
            due_date=today,
            user=personas.worker,
        )
        Contact.objects.create(
            household=household,
            worker=personas.worker,
            kind=Contact.Kind.PHONE,
            happened_at=timezone.now() - 40 * DAY,
        )
        Intake.objects.create(
            source=Intake.Source.NEIGHBOUR,
            description="Zorgen",
            household=household,
            team=team,
            created_by=personas.team_leader,
        )
        _report(personas, household, serial)
        EmergencyAccess.objects.create(
            household=household,
            worker=personas.colleague,
            reason="Crisis in de avond, eigen team niet bereikbaar",
            started_at=timezone.now() - DAY,
            expires_at=timezone.now() - DAY + dt.timedelta(hours=1),
        )


def test_my_work_takes_as_many_queries_for_20_as_for_2_in_every_role(
    personas: Personas,
) -> None:
    personas.make_worker_lead()
    clients = {}
    for name, user in personas.all().items():
        clients[name] = Client()
        clients[name].force_login(user)
    _grow(personas, 2)
    small = {}
    for name, client in clients.items():
        client.get("/")  # sessions, caches
        small[name] = _queries(client, "/")
    _grow(personas, 18)
    large = {name: _queries(client, "/") for name, client in clients.items()}
    assert large == small
    # The data did reach the pages: the worker's list and the team leader's grants grew.
    page = clients["worker"].get("/").content.decode()
    assert page.count("Bellen") >= 20
    page = clients["team_leader"].get("/").content.decode()
    assert "20 nieuwe aanmeldingen" in page or "21 nieuwe aanmeldingen" in page


def test_the_household_page_takes_as_many_queries_for_20_as_for_2(
    client: Client, personas: Personas
) -> None:
    personas.make_worker_lead()
    household = personas.household
    worker = personas.worker
    plan = plan_get_or_create(household=household, user=worker)
    client.force_login(worker)
    url = f"/huishoudens/{household.pk}/"

    def grow(n: int) -> None:
        for _ in range(n):
            serial = next(_serial)
            goal = goal_add(plan=plan, text=f"Doel {serial}", domains=["housing"], user=worker)
            for step in (1, 2, 3, 4):
                action_add(
                    goal=goal, description=f"Actie {serial}", owner="Zelf", step=step, user=worker
                )
            Contact.objects.create(
                household=household,
                worker=worker,
                kind=Contact.Kind.HOME_VISIT,
                note=f"Bezoek {serial}",
                happened_at=timezone.now() - DAY,
            )
            factories.MembershipFactory.create(household=household)
            Involvement.objects.create(
                household=household,
                worker=factories.UserFactory.create(),
                kind=Involvement.Kind.CO_WORKER,
                start_date=timezone.localdate(),
            )
            Intake.objects.create(
                source=Intake.Source.SCHOOL,
                description=f"Melding {serial}",
                household=household,
                team=personas.team_leader.team_memberships.get().team,
                created_by=personas.team_leader,
            )
            _report(personas, household, serial)

    grow(2)
    client.get(url)
    small = _queries(client, url)
    grow(18)
    large = _queries(client, url)
    assert large == small
    page = client.get(url).content.decode()
    assert page.count("Bezoek ") >= 20
