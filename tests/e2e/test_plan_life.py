"""Editing and closing a goal on a phone (issue 18, item 1), with the accessibility scan."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from buurtkracht.casework.models import Goal
from tests.casework.stories import story_one_plan
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page: Any) -> bool:
    return bool(
        page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )


def test_editing_and_closing_a_goal_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    personas.make_worker_lead()
    plan = story_one_plan(personas)
    login(phone_page, live_server, "wijkwerker", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/plan/")
    phone_page.get_by_role("link", name="Doel wijzigen of afsluiten").first.click()
    expect(phone_page.get_by_role("heading", name="Doel", exact=True)).to_be_visible()
    assert_accessible(phone_page)
    assert no_sideways_scroll(phone_page)

    # Change the goal's words.
    phone_page.get_by_label("Doel, in de woorden van de bewoner").fill(
        "Ik wil van mijn huurachterstand af voor de herfst."
    )
    phone_page.get_by_role("button", name="Doel bewaren").click()
    expect(phone_page.get_by_role("status").first).to_contain_text("Doel gewijzigd.")
    expect(phone_page.locator("body")).to_contain_text("voor de herfst")

    # Close it: first without the resident's words, which is refused and says so.
    phone_page.get_by_role("link", name="Doel wijzigen of afsluiten").first.click()
    expect(phone_page.get_by_role("heading", name="Doel afsluiten")).to_be_visible()
    phone_page.get_by_label("Bereikt", exact=True).check()
    phone_page.get_by_role("button", name="Doel afsluiten").click()
    expect(phone_page.locator("#error-summary")).to_contain_text(
        "Schrijf in de eigen woorden van de bewoner"
    )
    assert_accessible(phone_page)
    assert no_sideways_scroll(phone_page)
    phone_page.get_by_label("In de eigen woorden van de bewoner").fill(
        "Alles is afbetaald, ik slaap weer."
    )
    phone_page.get_by_role("button", name="Doel afsluiten").click()
    expect(phone_page.get_by_role("status").first).to_contain_text("Doel afgesloten: bereikt.")
    expect(phone_page.locator("body")).to_contain_text("Alles is afbetaald, ik slaap weer.")
    expect(phone_page.locator("body")).to_contain_text("1 van 1 doel bereikt.")
    assert_accessible(phone_page)
    assert no_sideways_scroll(phone_page)
    goal = Goal.objects.get(plan=plan)
    assert goal.status == Goal.Status.REACHED
    assert goal.closing_words == "Alles is afbetaald, ik slaap weer."

    # An action is marked not done on its own page.
    action = goal.actions.get(description="Post sorteren")
    phone_page.locator(f'a[href$="/plan/acties/{action.pk}/"]').click()
    expect(phone_page.get_by_role("heading", name="Hoe ging het?")).to_be_visible()
    assert_accessible(phone_page)
    phone_page.get_by_label("Niet gedaan").check()
    phone_page.get_by_role("button", name="Bewaar hoe het ging").click()
    expect(phone_page.get_by_role("status").first).to_contain_text("niet gedaan")
