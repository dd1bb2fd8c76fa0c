"""Mandates for the tests: the corporation of the personas delegates to the team that
serves the persona household."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from buurtkracht.accounts.queries import current_teams
from buurtkracht.casework.models import LifeDomain
from buurtkracht.core.models import Organisation
from buurtkracht.mandates.models import Mandate
from tests.conftest import Personas


def corporation(personas: Personas) -> Organisation:
    organisation = personas.partner_liaison.organisation
    assert organisation is not None
    return organisation


def make_mandate(
    personas: Personas,
    *,
    organisation: Organisation | None = None,
    decision: str = "Betalingsregeling huurachterstand",
    max_amount_cents: int | None = 150_000,
    start: dt.date | None = None,
    end: dt.date | None = None,
    to_team: bool = True,
    **fields: Any,
) -> Mandate:
    today = timezone.localdate()
    mandate = Mandate.objects.create(
        organisation=organisation or corporation(personas),
        decision=decision,
        life_domain=LifeDomain.HOUSING,
        max_amount_cents=max_amount_cents,
        start_date=start or today - dt.timedelta(days=30),
        end_date=end,
        **fields,
    )
    if to_team:
        mandate.teams.set(current_teams(personas.worker))
    return mandate
