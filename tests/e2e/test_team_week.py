"""The team view on a phone: the team leader opens it from *Mijn werk*, records that a
worker is away and moves what falls due to a colleague in one step; each page passes the
accessibility scan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from buurtkracht.accounts.services import team_membership_create
from buurtkracht.casework.models import Action, Intake
from buurtkracht.casework.services import action_add, goal_add, plan_get_or_create
from buurtkracht.households.models import Involvement
from tests import factories
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_team_view_on_a_phone(phone_page: Any, live_server: Any, personas: Personas) -> None:
    today = timezone.localdate()
    team = personas.team_leader.team_memberships.get().team
    colleague = factories.UserFactory.create(username="bram", first_name="Bram", last_name="Bos")
    team_membership_create(user=colleague, team=team)
    personas.make_worker_lead()
    plan = plan_get_or_create(household=personas.household, user=personas.worker)
    goal = goal_add(
        plan=plan, text="Rust in de financiën", domains=["finances"], user=personas.worker
    )
    action = action_add(
        goal=goal,
        description="Samen naar de schuldhulp",
        owner="",
        step=4,
        due_date=today + dt.timedelta(days=2),
        owner_worker=personas.worker,
        user=personas.worker,
    )
    Intake.objects.create(
        source=Intake.Source.SCHOOL,
        description="Kinderen komen zonder ontbijt",
        name="Familie van de tweeling",
        team=team,
        created_by=personas.team_leader,
    )
    street = personas.household.address.street_line

    page = phone_page
    login(page, live_server, "teamleider", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Open het teamoverzicht").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teamweek")
    expect(page.locator("#waiting-intakes")).to_contain_text("Familie van de tweeling")
    expect(page.locator("#caseloads")).to_contain_text("Bram Bos")
    assert_accessible(page)

    page.locator("summary", has_text="Afwezigheid vastleggen").click()
    page.get_by_label("Medewerker die afwezig is").select_option(label=str(personas.worker))
    page.get_by_label("Eerste dag afwezig").fill(today.strftime("%d-%m-%Y"))
    page.get_by_label("Laatste dag afwezig").fill(
        (today - dt.timedelta(days=1)).strftime("%d-%m-%Y")
    )
    page.get_by_role("button", name="Afwezigheid vastleggen").click()
    # A wrong period: a clear Dutch message, what was typed kept.
    expect(page.locator("#error-summary")).to_contain_text("kan niet voor de eerste liggen")
    assert_accessible(page)
    page.get_by_label("Laatste dag afwezig").fill(
        (today + dt.timedelta(days=7)).strftime("%d-%m-%Y")
    )
    page.get_by_label("Soort afwezigheid").select_option(label="verlof")
    page.get_by_role("button", name="Afwezigheid vastleggen").click()
    card = page.locator('[data-testid="absence-wijkwerker"]')
    expect(card).to_contain_text("Samen naar de schuldhulp")
    expect(card).to_contain_text(street)
    assert_accessible(page)

    card.get_by_label("Naar collega").select_option(label="Bram Bos")
    card.get_by_label("Notitie voor de collega").fill("Mevrouw belt liever na tienen.")
    card.get_by_role("button", name="Naar de collega").click()
    expect(page.get_by_role("status").first).to_contain_text("Naar Bram Bos")
    expect(page.locator('[data-testid="absence-wijkwerker"]')).to_contain_text(
        "Er valt niets van deze medewerker"
    )
    assert_accessible(page)
    action.refresh_from_db()
    assert action.owner_worker == colleague
    lead = Involvement.objects.get(household=personas.household, end_date__isnull=True)
    assert lead.worker == colleague
    assert "Mevrouw belt liever na tienen." in lead.handover_note
    assert Action.objects.filter(owner_worker=personas.worker).count() == 0
