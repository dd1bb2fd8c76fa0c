"""Forms on a phone (issue 13): the plan page fits a 375 px screen with a long, realistic
plan; a refused form says what is wrong at the top of the page and moves focus there."""

from __future__ import annotations

from typing import Any

import pytest

from buurtkracht.casework.models import LifeDomain, Step
from buurtkracht.casework.services import action_add, goal_add, plan_get_or_create
from tests.conftest import Personas
from tests.e2e.conftest import PHONE, assert_accessible, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_GOALS = [
    "Ik wil dat de deurwaarder niet meer aan de deur komt en dat ik weer rustig kan slapen "
    "zonder steeds aan de huurachterstand en de energierekening te denken.",
    "Mijn zoon moet weer elke dag naar school, ook als het thuis onrustig is; "
    "schoolverzuimbegeleiding-contactpersoonsafspraken-overzicht.",
]


def realistic_plan(personas: Personas) -> None:
    """A plan as it looks after a few months: long goals in the resident's words, several
    actions in every one of the four steps, long names of organisations."""
    plan = plan_get_or_create(household=personas.household, user=personas.worker)
    for text in LONG_GOALS:
        goal = goal_add(
            plan=plan,
            text=text,
            domains=[LifeDomain.FINANCES, LifeDomain.HOUSING, LifeDomain.MENTAL_HEALTH],
            user=personas.worker,
        )
        for step in Step:
            for n in range(3):
                action_add(
                    goal=goal,
                    description=(
                        f"Afspraak {n + 1}: samen de betalingsregelingsvoorstellen en "
                        "inkomensondersteuningsaanvragen doornemen en versturen"
                    ),
                    owner="Stichting Maatschappelijke Dienstverlening Lindenhoven-Oost",
                    step=step,
                    user=personas.worker,
                )


def fits_the_screen(page: Any) -> bool:
    """Nothing sticks out past the phone's 375 px. (A mobile browser widens its layout
    viewport, and so `window.innerWidth`, to whatever sticks out: compare with the screen.)"""
    return bool(page.evaluate(f"document.documentElement.scrollWidth <= {PHONE['width']}"))


def test_a_long_plan_fits_a_phone_screen(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    personas.make_worker_lead()
    realistic_plan(personas)
    login(phone_page, live_server, "wijkwerker", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/plan/")
    assert fits_the_screen(phone_page)
    # The action forms under every goal, and the closing form, open.
    phone_page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert fits_the_screen(phone_page)
    assert_accessible(phone_page)


def test_a_refused_action_says_what_is_wrong_at_the_top_and_leads_to_the_field(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    personas.make_worker_lead()
    realistic_plan(personas)
    login(phone_page, live_server, "wijkwerker", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/plan/")
    # The last goal's form, far down a long page: who does it is left empty.
    goal = personas.household.plan.goals.order_by("pk").last()
    assert goal is not None
    article = phone_page.locator("article", has=phone_page.locator(f"#goal-{goal.pk}"))
    article.get_by_text("Actie toevoegen").click()
    phone_page.locator(f"#id_goal{goal.pk}_description").fill("Buurvrouw vragen voor de post")
    phone_page.locator(f"#id_goal{goal.pk}_step_1").check()  # network
    article.get_by_role("button", name="Actie bewaren").click()

    summary = phone_page.locator("#error-summary")
    summary.wait_for()
    assert "Controleer het formulier" in summary.inner_text()
    # errors.js moves focus once the page is loaded.
    phone_page.wait_for_function("document.activeElement.id === 'error-summary'")
    box = summary.bounding_box()
    assert box is not None and 0 <= box["y"] < PHONE["height"]  # in view, not 1,700 px below
    assert fits_the_screen(phone_page)
    assert_accessible(phone_page)
    # What was typed is kept, and the summary's link leads to the field.
    assert phone_page.locator(f"#id_goal{goal.pk}_description").input_value() == (
        "Buurvrouw vragen voor de post"
    )
    summary.get_by_role("link", name="Schrijf op wie het doet").click()
    assert phone_page.evaluate("document.activeElement.id") == f"id_goal{goal.pk}_owner"
    field = phone_page.locator(f"#id_goal{goal.pk}_owner").bounding_box()
    assert field is not None and 0 <= field["y"] < PHONE["height"]


def test_a_refused_intake_leads_to_the_missing_sentence(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    login(phone_page, live_server, "wijkwerker", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(f"{live_server.url}/huishoudens/aanmelden/")
    phone_page.locator("#id_name").fill("Mevrouw de Wit")
    phone_page.get_by_role("button", name="Aanmelding bewaren").click()
    summary = phone_page.locator("#error-summary")
    summary.wait_for()
    # errors.js moves focus once the page is loaded.
    phone_page.wait_for_function("document.activeElement.id === 'error-summary'")
    assert phone_page.locator("#id_name").input_value() == "Mevrouw de Wit"
    assert_accessible(phone_page)
    summary.get_by_role("link").first.click()
    assert phone_page.evaluate("document.activeElement.id") == "id_description"
