"""Shared makers for the initiative tests: synthetic budgets, routes and proposals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from buurtkracht.accounts.models import Role, User
from buurtkracht.core.models import Area
from buurtkracht.initiatives import services
from buurtkracht.initiatives.models import Budget, Check, Decider, Initiative, RouteStep
from tests import factories


def community_worker() -> User:
    return factories.UserFactory.create(username="opbouwwerker", roles=[Role.COMMUNITY_WORKER])


def budget(area: Area, *, amount: str = "25000", platform: str = "wijkplatform Oost") -> Budget:
    """Up to €1,000 an official decides; above it an official checks first, then a jury
    up to €10,000 and the neighbourhood platform above that."""
    today = timezone.localdate()
    made = Budget.objects.create(
        name=f"Bewonersbudget {area.name}",
        area=area,
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=300),
        amount=Decimal(amount),
    )
    rows: list[tuple[int, list[str], str, str | None, str, str]] = [
        (1, [Check.POLICY, Check.COST], "0", "1000", Decider.OFFICIAL, ""),
        (1, [Check.POLICY], "1000", None, Decider.OFFICIAL, ""),
        (2, [Check.LIVEABILITY], "1000", "10000", Decider.JURY, "jury"),
        (2, [Check.LIVEABILITY], "10000", None, Decider.PLATFORM, platform),
    ]
    for order, checks, above, up_to, decider, label in rows:
        RouteStep.objects.create(
            budget=made,
            order=order,
            checks=[str(c) for c in checks],
            amount_above=Decimal(above),
            amount_up_to=Decimal(up_to) if up_to else None,
            decider=decider,
            decider_label=label,
        )
    return made


def proposal_input(neighbourhood: Area | None, **overrides: Any) -> services.InitiativeInput:
    values: dict[str, Any] = {
        "title": "Wandelgroep Lindenstraat",
        "description": "Elke woensdag samen wandelen, en een bankje halverwege.",
        "neighbourhood": neighbourhood,
        "for_whom": "Ouderen in de straat",
        "cost": "800",
        "cost_breakdown": "Bankje €600, koffie €200",
        "own_contribution": "We lopen zelf voorop en nodigen buren uit.",
        "helpers": "Het buurthuis",
        "contact_name": "Ria de Boer",
        "contact_email": "ria@voorbeeld.nl",
        "contact_phone": "",
    }
    values.update(overrides)
    return services.InitiativeInput(**values)


def propose(neighbourhood: Area, **overrides: Any) -> tuple[Initiative, str]:
    return services.initiative_propose(data=proposal_input(neighbourhood, **overrides))


def form_data(area: Area, **overrides: str) -> dict[str, str]:
    data = {
        "title": "Wandelgroep Lindenstraat",
        "description": "Elke woensdag samen wandelen, en een bankje halverwege.",
        "neighbourhood": str(area.pk),
        "for_whom": "Ouderen in de straat",
        "cost": "€ 800",
        "cost_breakdown": "Bankje €600, koffie €200",
        "own_contribution": "We lopen zelf voorop en nodigen buren uit.",
        "helpers": "",
        "contact_name": "Ria de Boer",
        "contact_email": "ria@voorbeeld.nl",
        "contact_phone": "",
        "homepage": "",
    }
    data.update(overrides)
    return data
