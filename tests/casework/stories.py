"""Shared story data for casework tests: story 1 of PRODUCT.md."""

from __future__ import annotations

from buurtkracht.casework.models import LifeDomain, Plan, Step
from buurtkracht.casework.services import action_add, goal_add, plan_get_or_create
from tests.conftest import Personas


def story_one_plan(personas: Personas) -> Plan:
    """Mrs Yilmaz's plan from PRODUCT.md story 1: one action in each of the four steps."""
    plan = plan_get_or_create(household=personas.household, user=personas.worker)
    goal = goal_add(
        plan=plan,
        text="Ik wil van mijn huurachterstand af voor de zomer.",
        domains=[LifeDomain.FINANCES, LifeDomain.HOUSING],
        user=personas.worker,
    )
    for description, owner, step in [
        ("Woonstichting bellen voor een betalingsregeling", "Mevrouw zelf", Step.OWN_STRENGTH),
        ("Post sorteren", "Haar broer", Step.NETWORK),
        ("Budgetcursus in het buurthuis", "Buurthuis De Linde", Step.GENERAL_PROVISION),
        ("Begeleiding naar schuldhulp", "Schuldhulp Lindenhoven", Step.INDIVIDUAL_PROVISION),
    ]:
        action_add(goal=goal, description=description, owner=owner, step=step, user=personas.worker)
    plan.refresh_from_db()
    return plan
