"""Mandates for the demo (issue 20, docs/mandates.md): Woonstichting Lindenhoven lets the
neighbourhood teams agree a payment arrangement on rent arrears up to € 1.500 and pause
eviction proceedings; Schuldhulp Lindenhoven (the debt bank) lets them give a fast-track
intake. A few decisions were taken under them in the past months, one on story 1's file
(its lead worker agreed a payment arrangement with the corporation's mandate). All
synthetic."""

from __future__ import annotations

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from buurtkracht.audit.models import Ground
from buurtkracht.casework.models import LifeDomain
from buurtkracht.core.models import Organisation, Team
from buurtkracht.households.models import Household, Involvement
from buurtkracht.mandates.models import Mandate
from buurtkracht.mandates.services import decision_record

# (kind of organisation, decision, life domain, limit in cents, conditions)
MANDATES: tuple[tuple[str, str, str, int | None, str], ...] = (
    (
        Organisation.Kind.HOUSING_CORPORATION,
        "Betalingsregeling huurachterstand",
        LifeDomain.HOUSING,
        150_000,
        "Een regeling van hoogstens 18 maanden; de lopende huur wordt weer betaald.",
    ),
    (
        Organisation.Kind.HOUSING_CORPORATION,
        "Ontruimingsprocedure pauzeren",
        LifeDomain.HOUSING,
        None,
        "Hoogstens drie maanden, zolang het huishouden meewerkt aan een plan.",
    ),
    (
        Organisation.Kind.DEBT_COUNSELLING,
        "Snelle intake schuldhulpverlening",
        LifeDomain.FINANCES,
        None,
        "Intake binnen vijf werkdagen, zonder wachtlijst, bij dreigende ontruiming of afsluiting.",
    ),
)

# (mandate index, what, amount in cents, reason, days ago)
OTHER_DECISIONS: tuple[tuple[int, str, int | None, str, int], ...] = (
    (0, "Betalingsregeling 12 maanden, € 75 per maand", 90_000, "Inkomen hersteld na ziekte", 75),
    (1, "Ontruiming twee maanden gepauzeerd", None, "Plan met budgetcoach loopt", 60),
    (2, "Intake met voorrang", None, "Afsluiting energie dreigt", 45),
    (0, "Betalingsregeling 6 maanden, € 100 per maand", 60_000, "Eenmalige tegenvaller", 30),
    (2, "Intake met voorrang", None, "Beslag op loon, huur in gevaar", 12),
)


@transaction.atomic
def mandates_demo_create(*, seed: int, resident_household: Household | None) -> int:
    """The three mandates, granted to every neighbourhood team, and the decisions under
    them; returns the number of decisions."""
    today = timezone.localdate()
    start = today - dt.timedelta(days=365)
    teams = list(Team.objects.all())
    mandates = []
    for kind, decision, domain, limit, conditions in MANDATES:
        organisation = Organisation.objects.filter(kind=kind).order_by("pk").first()
        if organisation is None:
            return 0
        mandate = Mandate.objects.create(
            organisation=organisation,
            decision=decision,
            conditions=conditions,
            life_domain=domain,
            max_amount_cents=limit,
            max_per_household_year_cents=300_000 if limit else None,
            start_date=start,
            end_date=start + dt.timedelta(days=2 * 365),
        )
        mandate.teams.set(teams)
        mandates.append(mandate)
    leads = list(
        Involvement.objects.filter(kind=Involvement.Kind.LEAD, end_date__isnull=True)
        .exclude(household=resident_household)
        .select_related("household", "worker")
        .order_by("pk")
    )
    rng = random.Random(seed + 20)
    chosen = rng.sample(leads, min(len(leads), len(OTHER_DECISIONS)))
    count = 0
    for lead, (index, what, amount, reason, days) in zip(chosen, OTHER_DECISIONS, strict=False):
        count += _decide(lead, mandates[index], what, amount, reason, today - dt.timedelta(days))
    if resident_household is not None:
        story_lead = (
            Involvement.objects.filter(
                household=resident_household, kind=Involvement.Kind.LEAD, end_date__isnull=True
            )
            .select_related("household", "worker")
            .first()
        )
        if story_lead is not None:
            count += _decide(
                story_lead,
                mandates[0],
                "Betalingsregeling 12 maanden, € 115,53 per maand",
                138_640,
                "Twee maanden huurachterstand; met de budgetcoach is er ruimte voor een "
                "vast bedrag per maand.",
                today - dt.timedelta(days=20),
            )
    return count


def _decide(
    lead: Involvement, mandate: Mandate, what: str, amount: int | None, reason: str, day: dt.date
) -> int:
    member = lead.household.current_memberships().select_related("person").first()
    if member is None:
        return 0
    try:
        decision_record(
            mandate=mandate,
            household=lead.household,
            person=member.person,
            what=what,
            amount_cents=amount,
            reason=reason,
            user=lead.worker,
            ground=Ground.INVOLVEMENT,
            on=day,
        )
    except ValidationError:
        # A lead worker whose team place has ended holds no mandate: the service refuses,
        # as it would in the product, and the demo takes the next household.
        return 0
    return 1
