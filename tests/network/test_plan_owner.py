"""Step 2 of the four-step order: someone from the network map does a plan action."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from buurtkracht.casework.models import Action, Goal
from buurtkracht.casework.services import action_add, goal_add, plan_get_or_create
from buurtkracht.network.services import tie_end
from tests.conftest import Personas
from tests.network.helpers import add

pytestmark = pytest.mark.django_db


def a_goal(personas: Personas) -> Goal:
    plan = plan_get_or_create(household=personas.household, user=personas.worker)
    return goal_add(
        plan=plan, text="Meer mensen zien", domains=["social_network"], user=personas.worker
    )


def test_a_network_member_owns_a_step_two_action(personas: Personas) -> None:
    goal = a_goal(personas)
    tie = add(personas.household, personas.worker, "Mirjam", "family")
    action = action_add(
        goal=goal,
        description="Samen koffie drinken",
        owner="",
        step=2,
        owner_tie=tie,
        user=personas.worker,
    )
    assert action.owner == "Mirjam" and action.owner_tie == tie


def test_not_at_another_step_nor_when_do_not_contact_or_ended(personas: Personas) -> None:
    goal = a_goal(personas)
    tie = add(personas.household, personas.worker, "Mirjam", "family")
    with pytest.raises(ValidationError) as caught:
        action_add(
            goal=goal, description="X", owner="", step=1, owner_tie=tie, user=personas.worker
        )
    assert "owner_tie" in caught.value.message_dict
    blocked = add(personas.household, personas.worker, "Vader", "family", do_not_contact=True)
    with pytest.raises(ValidationError):
        action_add(
            goal=goal, description="X", owner="", step=2, owner_tie=blocked, user=personas.worker
        )
    tie_end(tie=tie, user=personas.worker)
    with pytest.raises(ValidationError):
        action_add(
            goal=goal, description="X", owner="", step=2, owner_tie=tie, user=personas.worker
        )
    assert Action.objects.count() == 0


def test_the_plan_form_offers_the_ties_that_may_be_contacted(personas: Personas) -> None:
    personas.make_worker_lead()
    goal = a_goal(personas)
    tie = add(personas.household, personas.worker, "Mirjam", "family", relation="zus")
    add(personas.household, personas.worker, "Vader", "family", do_not_contact=True)
    client = Client()
    client.force_login(personas.worker)
    url = f"/huishoudens/{personas.household.pk}/plan/"
    body = client.get(url).content.decode()
    assert "Mirjam (zus)" in body
    assert "Vader" not in body
    plan = goal.plan
    plan.refresh_from_db()
    data: dict[str, Any] = {
        "what": "action",
        "goal": goal.pk,
        "version": plan.version,
        "description": "Samen naar de markt",
        "owner": "",
        "owner_tie": tie.pk,
        "step": 2,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.owner == "Mirjam" and action.owner_tie == tie
    # The map shows what the network member does in the plan.
    body = client.get(f"/huishoudens/{personas.household.pk}/netwerk/").content.decode()
    assert "Samen naar de markt" in body
