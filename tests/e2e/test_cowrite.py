"""Co-writing the plan on a phone (issue 19, item 2; part of the issue's resident story):
the resident proposes a goal, the worker sees it on Mijn werk and accepts it, and the
resident finds it in their plan. With the accessibility scan on every page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from buurtkracht.casework.models import Goal, PlanProposal
from tests.casework.stories import story_one_plan
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = "Ik wil elke week met mijn buurvrouw wandelen."


def test_the_resident_proposes_a_goal_and_the_worker_accepts_it(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    personas.make_worker_lead()
    story_one_plan(personas)
    plan_url = f"{live_server.url}/huishoudens/{personas.household.pk}/plan/"

    login(phone_page, live_server, "bewoner", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(plan_url)
    expect(phone_page.get_by_role("heading", name="Een doel toevoegen")).to_be_visible()
    assert_accessible(phone_page)
    # Sent empty: refused, and says so at the top.
    phone_page.get_by_role("button", name="Naar mijn werker sturen").last.click()
    expect(phone_page.locator("#error-summary")).to_contain_text("Schrijf het in uw eigen woorden")
    assert_accessible(phone_page)
    phone_page.get_by_label("Uw doel, in uw eigen woorden").fill(WORDS)
    phone_page.get_by_label("Sociaal netwerk").check()
    phone_page.get_by_role("button", name="Naar mijn werker sturen").last.click()
    expect(phone_page.get_by_role("status").first).to_contain_text("Uw werker leest het")
    expect(phone_page.locator("body")).to_contain_text("uw werker heeft nog niet geantwoord")
    assert_accessible(phone_page)
    assert not Goal.objects.filter(text=WORDS).exists()

    phone_page.context.clear_cookies()
    login(phone_page, live_server, "wijkwerker", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    expect(phone_page.get_by_role("heading", name="Voorstellen van bewoners")).to_be_visible()
    assert_accessible(phone_page)
    expect(phone_page.locator("body")).to_contain_text("1 voorstel wacht op uw antwoord.")
    phone_page.locator('a[href$="/plan/#proposals-heading"]').click()
    expect(phone_page.get_by_role("heading", name="Voorstellen van de bewoner")).to_be_visible()
    expect(phone_page.locator("body")).to_contain_text(WORDS)
    assert_accessible(phone_page)
    phone_page.get_by_role("button", name="Overnemen").first.click()
    expect(phone_page.get_by_role("status").first).to_contain_text("Overgenomen")
    assert_accessible(phone_page)
    goal = Goal.objects.get(text=WORDS)
    assert PlanProposal.objects.get().result_goal == goal

    phone_page.context.clear_cookies()
    login(phone_page, live_server, "bewoner", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(plan_url)
    expect(phone_page.get_by_role("heading", name=f"“{WORDS}”")).to_be_visible()
    expect(phone_page.locator("body")).to_contain_text("uw werker is akkoord")
    assert_accessible(phone_page)
