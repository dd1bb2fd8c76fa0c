"""Case conferences in the demo (docs/conferences.md): last week Team Oost held a
multidisciplinary conference with `schuldhulpverlener` of the debt counselling
organisation. Story 1's household was on the agenda by name (its adults consented to share
with the debt counsellors), a second household of the team anonymised (no consent); the
chair decided both, story 1's actions went into its plan, and two decisions became
precedents colleagues find again. Synthetic data only; the conference lies in the past."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from buurtkracht.accounts.models import Role, TeamMembership, User
from buurtkracht.casework.models import Goal, LifeDomain, Step
from buurtkracht.conferences.models import Case, Conference
from buurtkracht.conferences.services import (
    case_action_add,
    case_add,
    case_decide,
    conference_schedule,
    precedent_mark,
)
from buurtkracht.demo.clock import days_ago
from buurtkracht.demo.staff import HOME_TEAM
from buurtkracht.households.consent import consent_record
from buurtkracht.households.models import Consent, Household, Involvement
from buurtkracht.households.visibility import household_ground

OUTSIDE_PROFESSIONAL = "schuldhulpverlener"


def _second_case_household(leader: User, story: Household) -> Household | None:
    """Another household of Team Oost with a lead worker, readable by the team leader."""
    leads = (
        Involvement.objects.filter(kind=Involvement.Kind.LEAD, end_date__isnull=True)
        .exclude(household=story)
        .select_related("household")
        .order_by("household_id")
    )
    for involvement in leads[:200]:
        if household_ground(leader, involvement.household) is not None:
            return involvement.household
    return None


@transaction.atomic
def conferences_demo_create(*, resident_household: Household | None) -> dict[str, int]:
    """One conference with two cases decided and two precedents; returns the counts."""
    if resident_household is None:
        return {"conferences": 0}
    leader = User.objects.get(username="teamleider")
    worker = User.objects.get(username="wijkwerker")
    outside = User.objects.filter(username=OUTSIDE_PROFESSIONAL).first()
    if outside is None or outside.organisation is None:
        return {"conferences": 0}
    team = (
        TeamMembership.objects.filter(user=leader, team__name=HOME_TEAM).select_related("team")
    ).first()
    if team is None:
        return {"conferences": 0}
    colleagues = list(
        User.objects.filter(
            team_memberships__team=team.team, role_grants__role=Role.WORKER
        ).exclude(pk=worker.pk)[:1]
    )
    conference = conference_schedule(
        team=team.team,
        kind=Conference.Kind.MULTIDISCIPLINARY,
        starts_at=days_ago(6, 14),
        place="Wijkcentrum De Linde, zaal 2",
        chair=leader,
        participants=[worker, outside, *colleagues],
        user=leader,
    )
    # Story 1's household consented to share with the debt counsellors.
    for membership in resident_household.current_memberships().select_related("person"):
        consent_record(
            person=membership.person,
            purpose=Consent.Purpose.SHARE_WITH_ORGANISATION,
            organisation=outside.organisation,
            given=True,
            method=Consent.Method.WRITTEN,
            recorded_by=worker,
            note="Voor het casusoverleg met de schuldhulpverlening.",
        )
    lead = Involvement.objects.filter(
        household=resident_household, kind=Involvement.Kind.LEAD, end_date__isnull=True
    ).first()
    story_case = case_add(
        conference=conference,
        household=resident_household,
        anonymised="Casus A: alleenstaande ouder, huurachterstand, post blijft liggen",
        question=(
            "Vragen we een snelle intake bij de schuldhulpverlening aan, of eerst een "
            "betalingsregeling met de verhuurder?"
        ),
        user=lead.worker if lead is not None else leader,
    )
    cases = [story_case]
    second = _second_case_household(leader, resident_household)
    if second is not None:
        cases.append(
            case_add(
                conference=conference,
                household=second,
                anonymised="Casus B: gezin met 3 kinderen, schulden",
                question="Gaat budgetbeheer voor, of eerst de zorg voor de kinderen?",
                user=leader,
            )
        )
    _decide(cases, leader)
    return {"conferences": 1, "cases": len(cases)}


def _decide(cases: list[Case], leader: User) -> None:
    story_case = cases[0]
    case_decide(
        case=story_case,
        decision=(
            "Snelle intake bij de schuldhulpverlening; de wijkwerker vraagt de verhuurder "
            "de ontruimingsprocedure te pauzeren zolang de intake loopt."
        ),
        reasons=(
            "De achterstand loopt elke maand op. Een regeling alleen houdt geen stand "
            "zolang de post blijft liggen; de intake brengt rust en overzicht."
        ),
        user=leader,
    )
    goal = (
        Goal.objects.filter(plan__household=story_case.household, status=Goal.Status.OPEN)
        .order_by("pk")
        .first()
    )
    due = timezone.localdate() + dt.timedelta(days=14)
    for description, owner, step in (
        ("Aanmelden voor de snelle intake", "Schuldhulpverlening", Step.INDIVIDUAL_PROVISION),
        ("Post van de afgelopen maanden samen sorteren", "Bewoner met de buurvrouw", Step.NETWORK),
    ):
        case_action_add(
            case=story_case,
            goal=goal,
            goal_text="" if goal else "Rust in de financiën",
            domain="" if goal else LifeDomain.FINANCES,
            description=description,
            owner=owner,
            step=step,
            due_date=due,
            user=leader,
        )
    precedent_mark(
        case=story_case,
        title="Huurachterstand: eerst snelle intake, dan de regeling",
        situation="Alleenstaande ouder met een oplopende huurachterstand; post blijft liggen.",
        consideration=(
            "Een betalingsregeling alleen houdt geen stand zonder overzicht over alle schulden."
        ),
        decision="Snelle intake bij de schuldhulpverlening; pauze van de ontruiming gevraagd.",
        principle="Wonen gaat voor: eerst de ontruiming voorkomen, dan de schulden ordenen.",
        domain=LifeDomain.HOUSING,
        user=leader,
    )
    if len(cases) < 2:
        return
    other = cases[1]
    case_decide(
        case=other,
        decision="Eerst een gezinscoach, daarna budgetbeheer.",
        reasons="Zonder rust in het gezin lukt het geldbeheer niet; de kinderen gaan voor.",
        user=leader,
    )
    precedent_mark(
        case=other,
        title="Schulden en zorg om de kinderen: de kinderen gaan voor",
        situation="Gezin met drie kinderen, schulden, ouders overbelast.",
        consideration="Budgetbeheer vraagt discipline die er nu niet is.",
        decision="Eerst een gezinscoach, daarna budgetbeheer.",
        principle="De veiligheid en rust van de kinderen gaat voor de aanpak van de schulden.",
        domain=LifeDomain.FAMILY,
        user=leader,
    )
