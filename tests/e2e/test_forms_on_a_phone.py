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
