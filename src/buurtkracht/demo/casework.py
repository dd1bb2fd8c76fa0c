"""Plans and contacts for the households the demo's workers lead, so a newcomer finds the
work under way: goals in residents' own words, actions in all four steps (own strength
first), some done, and contacts over the past months (one of them sensitive).

The `bewoner` household gets story 1 of PRODUCT.md: rent and energy arrears, a plan with
one action in each of the four steps, agreed with the resident.

Every third other goal is closed, in turn reached, partly reached and stopped, in the
resident's words and on a day in the past weeks, with its actions done, not done or no
longer needed to match; so the plan pages, the printed plan and the outcome report show
goals in every state. Which goals close follows their order, not a random draw, so the
rest of the demo stays as it was."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from buurtkracht.accounts.models import User
from buurtkracht.casework.models import Action, Contact, Goal, LifeDomain, Step
from buurtkracht.casework.services import (
    action_add,
    action_set_status,
    contact_record,
    goal_add,
    goal_close,
    plan_agree,
    plan_get_or_create,
)
from buurtkracht.demo.clock import days_ago
from buurtkracht.households.models import Household, Involvement

STORY_ONE_GOAL = "Ik wil van mijn huurachterstand af en de stroom moet aan blijven."
STORY_ONE_ACTIONS = (
    ("Woonstichting bellen voor een betalingsregeling", "Bewoner zelf", Step.OWN_STRENGTH),
    ("Post sorteren en rekeningen apart leggen", "Haar broer", Step.NETWORK),
    ("Budgetcursus volgen in het buurthuis", "Buurthuis De Linde", Step.GENERAL_PROVISION),
    ("Samen naar de schuldhulpverlening", "Schuldhulp Lindenhoven", Step.INDIVIDUAL_PROVISION),
)

# (goal in a resident's words, domains, actions: (what, who, step))
GOALS = (
    (
        "Ik wil weer overzicht over mijn geld.",
        [LifeDomain.FINANCES],
        (
            ("Alle rekeningen in één map", "Bewoner zelf", Step.OWN_STRENGTH),
            ("Samen met dochter de bankapp instellen", "Dochter", Step.NETWORK),
            ("Thuisadministratie-vrijwilliger", "Humanitas", Step.GENERAL_PROVISION),
        ),
    ),
    (
        "Ik wil niet meer de hele dag alleen thuis zitten.",
        [LifeDomain.SOCIAL_NETWORK, LifeDomain.PARTICIPATION],
        (
            ("Dinsdag naar de koffieochtend", "Bewoner zelf", Step.OWN_STRENGTH),
            ("Buurvrouw gaat de eerste keer mee", "Buurvrouw", Step.NETWORK),
            ("Wandelgroep van de Lindenstraat", "Bewonersinitiatief", Step.GENERAL_PROVISION),
        ),
    ),
    (
        "Rust in huis, de kinderen moeten weer naar school.",
        [LifeDomain.FAMILY],
        (
            ("Vaste bedtijden afspreken", "Ouders", Step.OWN_STRENGTH),
            ("Opa brengt de kinderen op maandag", "Opa", Step.NETWORK),
            (
                "Gesprek met de schoolmaatschappelijk werker",
                "Basisschool De Lindeboom",
                Step.GENERAL_PROVISION,
            ),
            ("Opvoedondersteuning aan huis", "Jeugdteam", Step.INDIVIDUAL_PROVISION),
        ),
    ),
    (
        "Ik wil een woning zonder schimmel.",
        [LifeDomain.HOUSING, LifeDomain.PHYSICAL_HEALTH],
        (
            ("Foto's maken en melden bij de woonstichting", "Bewoner zelf", Step.OWN_STRENGTH),
            ("Huurdersvereniging kijkt mee", "Huurdersvereniging", Step.GENERAL_PROVISION),
        ),
    ),
)

# A closed goal in the resident's words, per state; and what becomes of its open actions.
CLOSING_WORDS = {
    Goal.Status.REACHED: (
        "Het is gelukt. Ik had niet gedacht dat ik het zou redden.",
        "Klaar! Nu weet ik hoe ik het zelf bijhoud.",
    ),
    Goal.Status.PARTLY: (
        "Een heel eind gekomen, het laatste stuk doe ik zelf verder.",
        "Het gaat beter, maar nog niet elke week.",
    ),
    Goal.Status.STOPPED: (
        "Ik wil hier nu niet meer mee bezig zijn; andere dingen gaan voor.",
        "Dit hoeft niet meer, we zijn verhuisd binnen de buurt.",
    ),
}
ACTIONS_WHEN_CLOSED = {
    Goal.Status.REACHED: (Action.Status.DONE,),
    Goal.Status.PARTLY: (Action.Status.NOT_DONE, Action.Status.DONE),
    Goal.Status.STOPPED: (Action.Status.CANCELLED,),
}
CLOSED_STATES = (Goal.Status.REACHED, Goal.Status.PARTLY, Goal.Status.STOPPED)


def _goal_closed(goal: Goal, number: int, worker: User) -> None:
    """Close the `number`-th closed goal of the demo: set two to four months ago, closed
    in the past weeks, its open actions ended to match."""
    state = CLOSED_STATES[number % 3]
    set_at = days_ago(60 + number % 60, 10)
    Goal.objects.filter(pk=goal.pk).update(created_at=set_at)
    goal.created_at = set_at
    ends = ACTIONS_WHEN_CLOSED[state]
    open_actions = [a for a in goal.actions.order_by("pk") if a.status == Action.Status.TO_DO]
    for index, action in enumerate(open_actions):
        action_set_status(action=action, status=ends[min(index, len(ends) - 1)], user=worker)
    goal_close(
        goal=goal,
        status=state,
        words=CLOSING_WORDS[state][number // 3 % 2],
        closed_on=timezone.localdate() - dt.timedelta(days=3 + number % 40),
        user=worker,
    )


NOTES = (
    "Koffie gedronken, brieven samen doorgenomen.",
    "Niemand thuis, kaartje in de bus gedaan.",
    "Kort gebeld: afspraak bij de woonstichting staat.",
    "Op straat gesproken bij de supermarkt, gaat beter.",
    "Samen het formulier voor de toeslag ingevuld.",
)


@transaction.atomic
def casework_story_create(*, seed: int, resident_household: Household | None) -> dict[str, int]:
    """Plans and contacts for every household with a lead worker."""
    rng = random.Random(f"buurtkracht-demo:{seed}:casework")
    today = timezone.localdate()
    counts = {"plans": 0, "contacts": 0, "goals_closed": 0}
    goals_seen = 0
    leads = (
        Involvement.objects.filter(kind=Involvement.Kind.LEAD, end_date__isnull=True)
        .select_related("household", "worker")
        .order_by("household_id")
    )
    for involvement in leads:
        household, worker = involvement.household, involvement.worker
        plan = plan_get_or_create(household=household, user=worker)
        counts["plans"] += 1
        if resident_household is not None and household.pk == resident_household.pk:
            goal = goal_add(
                plan=plan,
                text=STORY_ONE_GOAL,
                domains=[LifeDomain.FINANCES, LifeDomain.HOUSING],
                user=worker,
            )
            for description, owner, step in STORY_ONE_ACTIONS:
                action_add(goal=goal, description=description, owner=owner, step=step, user=worker)
            plan_agree(
                plan=plan, agreed_on=today - dt.timedelta(days=10), how="spoken", user=worker
            )
        else:
            for text, domains, actions in rng.sample(GOALS, k=rng.choice((1, 1, 2))):
                goal = goal_add(plan=plan, text=text, domains=list(domains), user=worker)
                for description, owner, step in actions:
                    action = action_add(
                        goal=goal,
                        description=description,
                        owner=owner,
                        step=step,
                        user=worker,
                        due_date=today + dt.timedelta(days=rng.randint(-10, 60)),
                    )
                    if rng.random() < 0.3:
                        action_set_status(action=action, status=Action.Status.DONE, user=worker)
                goals_seen += 1
                if goals_seen % 3 == 0:
                    _goal_closed(goal, counts["goals_closed"], worker)
                    counts["goals_closed"] += 1
            if rng.random() < 0.7:
                plan_agree(
                    plan=plan,
                    agreed_on=today - dt.timedelta(days=rng.randint(5, 80)),
                    how=rng.choice(("spoken", "written")),
                    user=worker,
                )
        for days in sorted(rng.sample(range(1, 90), k=rng.randint(1, 5)), reverse=True):
            contact_record(
                household=household,
                worker=worker,
                kind=rng.choice(Contact.Kind.values),
                note=rng.choice(NOTES),
                happened_at=days_ago(days, rng.randint(9, 17), 15),
            )
            counts["contacts"] += 1
        if counts["plans"] == 2:
            contact_record(
                household=household,
                worker=worker,
                kind=Contact.Kind.PHONE,
                note="Dochter vertelt over spanningen thuis; alleen voor betrokkenen.",
                sensitive=True,
                happened_at=days_ago(3, 16, 15),
            )
            counts["contacts"] += 1
    counts["intakes"] = _intakes_create(resident_household)
    _spread_intakes()
    return counts


def _spread_intakes() -> None:
    """Intakes arrive on different days, as they do: the newest today, the others over
    the past week and a half, so that the team leader's list shows how long each waits.
    (The service stamps the moment of recording; the demo dates them back.)"""
    from buurtkracht.casework.models import Intake

    for days, intake in zip(
        (0, 2, 5, 9, 12), Intake.objects.order_by("-pk").only("pk"), strict=False
    ):
        Intake.objects.filter(pk=intake.pk).update(created_at=days_ago(days, 9 + days % 7, 40))


def _intakes_create(resident_household: Household | None) -> int:
    """New intakes waiting on Team Oost's list, so `teamleider` has someone to assign; one
    name-only intake whose address can be added; and a duplicate file made anyway at the
    story-1 household's address, which the team leader can merge."""
    from buurtkracht.accounts.models import User
    from buurtkracht.casework.intake import intake_create

    worker = User.objects.filter(username="wijkwerker").first()
    if worker is None:
        return 0
    intake_create(
        source="neighbour",
        name="Meneer Bakker (boven de bakkerij)",
        description="Buurvrouw ziet hem al weken niet meer buiten; de brievenbus puilt uit.",
        user=worker,
    )
    intake_create(
        source="school",
        name="Familie van de tweeling uit groep 5",
        description="De kinderen komen vaak zonder ontbijt en te laat op school.",
        user=worker,
    )
    # One at the address of a household nobody works with yet: it attaches to it, and the
    # team leader can assign a lead worker straight away.
    count = 2
    if resident_household is not None:
        # A neighbour reports Mrs Yilmaz again; the worker makes a file anyway, so the
        # household now has a duplicate to merge (Household page → merge, as teamleider).
        address = resident_household.address
        intake_create(
            source="neighbour",
            description="Buurman maakt zich zorgen: mevrouw opent de deur niet meer.",
            postcode=address.postcode,
            house_number=address.house_number,
            house_letter=address.house_letter,
            addition=address.addition,
            create_anyway=True,
            user=worker,
        )
        count += 1
    quiet = (
        Household.objects.filter(address__neighbourhood__teams__name="Team Oost")
        # Nobody at the address is worked with: the intake attaches, no file to offer.
        .exclude(address__households__involvements__isnull=False)
        .select_related("address")
        .order_by("pk")
        .first()
    )
    if quiet is None:
        return count
    intake_create(
        source="partner",
        description=(
            "Woonstichting meldt twee maanden huurachterstand; brieven blijven onbeantwoord."
        ),
        postcode=quiet.address.postcode,
        house_number=quiet.address.house_number,
        house_letter=quiet.address.house_letter,
        addition=quiet.address.addition,
        user=worker,
    )
    return count + 1
