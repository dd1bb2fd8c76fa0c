"""Warm referrals for the demo: story 1 of PRODUCT.md — the `bewoner` is accompanied to
debt counselling, the appointment is kept and the help starts — and referrals for about
25 other households with a plan, in every status: some with a check date that has passed
(on `wijkwerker`'s list), a couple dropped out with their reason. Runs after the social
map demo. Every name is synthetic."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from buurtkracht.casework.models import Action, Step
from buurtkracht.core.models import Organisation
from buurtkracht.households.consent import (
    Purpose,
    consent_current,
    consent_is_valid,
    consent_record,
)
from buurtkracht.households.models import Household, Involvement, Person
from buurtkracht.referrals.models import Referral, ReferralStep
from buurtkracht.referrals.services import (
    consent_organisation,
    referral_advance,
    referral_propose,
)
from buurtkracht.socialmap.models import Resource

if TYPE_CHECKING:
    from buurtkracht.accounts.models import User

S = Referral.Status
STORY_ONE_RESOURCE = "Schuldhulpverlening"
STORY_ONE_PATH = (
    (S.CONTACTED, "Samen gebeld met de schuldhulp; ze krijgt een uitnodiging."),
    (S.APPOINTMENT_MADE, "Afspraak voor het intakegesprek."),
    (S.ACCOMPANIED, "Meegegaan naar het intakegesprek; ze had haar map met brieven mee."),
    (S.KEPT, "Afspraak nagekomen, de schuldhulp maakt een overzicht."),
    (S.STARTED, "Hulp is begonnen: budgetbeheer en een aanvraag voor een regeling."),
)
DROP_OUT_REASONS = (
    "Wilde toch niet meer; schaamte over de schulden.",
    "Twee keer niet op de afspraak gekomen, telefoon wordt niet opgenomen.",
    "Verhuisd naar familie buiten de gemeente.",
)
NOT_STARTED_REASONS = (
    "Wachtlijst van vier maanden; samen iets anders gezocht.",
    "Viel buiten de doelgroep van de organisatie.",
)
NOTES = (
    "Samen gebeld.",
    "Kort contact gehad met de organisatie.",
    "Bewoner zelf gebeld, gaat goed.",
    "",
)


def _consent(person: Person, organisation: Organisation | None, worker: User) -> None:
    if organisation is None:
        return
    current = consent_current(
        person=person, purpose=Purpose.SHARE_WITH_ORGANISATION, organisation=organisation
    )
    if not consent_is_valid(current):
        consent_record(
            person=person,
            purpose=Purpose.SHARE_WITH_ORGANISATION,
            given=True,
            method="spoken",
            recorded_by=worker,
            organisation=organisation,
            note="Aan de keukentafel gevraagd.",
        )


def _backdate(referral: Referral, created: dt.datetime) -> None:
    Referral.objects.filter(pk=referral.pk).update(created_at=created)
    referral.steps.filter(from_status="").update(at=created)


def _walk(
    referral: Referral,
    path: list[tuple[str, str]],
    worker: User,
    start: dt.datetime,
    gap_days: int,
    rng: random.Random,
) -> Referral:
    """Take the referral along `path`, one step every `gap_days`, ending before now."""
    today = timezone.localdate()
    moment = start
    for status, note in path:
        moment = min(moment + dt.timedelta(days=gap_days, hours=rng.randint(0, 5)), timezone.now())
        ended = status in Referral.ENDED
        referral = referral_advance(
            referral=referral,
            status=status,
            user=worker,
            note="" if status in Referral.NEEDS_REASON else note,
            reason=note if status in Referral.NEEDS_REASON else "",
            follow_up_on=None if ended else today + dt.timedelta(days=rng.randint(3, 21)),
            appointment_at=(moment + dt.timedelta(days=5)).replace(hour=10, minute=0)
            if status == S.APPOINTMENT_MADE
            else None,
            at=moment,
        )
    return referral


def _story_one(household: Household, rng: random.Random) -> int:
    resource = (
        Resource.objects.filter(name=STORY_ONE_RESOURCE, status=Resource.Status.PUBLISHED)
        .select_related("provider__organisation")
        .first()
    )
    lead = (
        Involvement.objects.filter(household=household, kind=Involvement.Kind.LEAD)
        .select_related("worker")
        .first()
    )
    action = (
        Action.objects.filter(
            goal__plan__household=household,
            step=Step.INDIVIDUAL_PROVISION,
            status=Action.Status.TO_DO,
        )
        .order_by("pk")
        .first()
    )
    if resource is None or lead is None or action is None:
        return 0
    worker = lead.worker
    members = household.current_member_ids()
    person = (
        Person.objects.filter(account__username="bewoner", pk__in=members).first()
        or Person.objects.filter(pk__in=members).order_by("pk").first()
    )
    if person is None:
        return 0
    _consent(person, consent_organisation(resource=resource, organisation=None), worker)
    referral = referral_propose(
        household=household,
        person=person,
        action=action,
        user=worker,
        resource=resource,
        follow_up_on=timezone.localdate() + dt.timedelta(days=7),
        note="Mevrouw wil graag dat iemand meegaat naar het eerste gesprek.",
    )
    start = timezone.now() - dt.timedelta(days=40)
    _backdate(referral, start)
    _walk(referral, list(STORY_ONE_PATH), worker, start, 7, rng)
    return 1


def _path_to(target: str, rng: random.Random) -> list[tuple[str, str]]:
    if target in Referral.NEEDS_REASON:
        before = Referral.FORWARD[1 : rng.randint(1, 3)]
        reasons = DROP_OUT_REASONS if target == S.DROPPED_OUT else NOT_STARTED_REASONS
        return [*((s, rng.choice(NOTES)) for s in before), (target, rng.choice(reasons))]
    end = Referral.FORWARD.index(target)
    steps = [s for s in Referral.FORWARD[1 : end + 1] if s != S.ACCOMPANIED or rng.random() < 0.5]
    if target == S.ACCOMPANIED and S.ACCOMPANIED not in steps:
        steps.append(S.ACCOMPANIED)
    return [(s, rng.choice(NOTES)) for s in steps]


@transaction.atomic
def referrals_demo_create(*, seed: int, resident_household: Household | None) -> int:
    """Story 1's referral and about 25 more; returns how many referrals were made."""
    rng = random.Random(f"buurtkracht-demo:{seed}:referrals")
    count = _story_one(resident_household, rng) if resident_household is not None else 0
    resources = list(
        Resource.objects.filter(status=Resource.Status.PUBLISHED)
        .select_related("provider__organisation")
        .order_by("name")
    )
    if not resources:
        return count
    actions = list(
        Action.objects.filter(
            step__gte=Step.GENERAL_PROVISION,
            status=Action.Status.TO_DO,
            goal__plan__closed_on__isnull=True,
            referrals__isnull=True,
        )
        .exclude(goal__plan__household=resident_household)
        .select_related("goal__plan__household")
        .order_by("goal__plan__household_id", "pk")
    )
    seen: set[int] = set()
    chosen: list[Action] = []
    for action in actions:
        if action.goal.plan.household_id not in seen:
            seen.add(action.goal.plan.household_id)
            chosen.append(action)
    leads = {
        i.household_id: i.worker
        for i in Involvement.objects.filter(
            kind=Involvement.Kind.LEAD,
            end_date__isnull=True,
            household_id__in=[a.goal.plan.household_id for a in chosen],
        ).select_related("worker")
    }
    # Every status at least once, the end states more than once; `wijkwerker`'s
    # households first, so their "Mijn werk" shows a drop-out and checks that are due.
    chosen.sort(
        key=lambda a: getattr(leads.get(a.goal.plan.household_id), "username", "") != "wijkwerker"
    )
    chosen = chosen[:25]
    targets = [
        S.DROPPED_OUT,
        S.CONTACTED,
        S.APPOINTMENT_MADE,
        S.NOT_STARTED,
        S.STARTED,
        S.PROPOSED,
        S.ACCOMPANIED,
        S.KEPT,
        S.STARTED,
        S.DROPPED_OUT,
        S.STARTED,
    ]
    today = timezone.localdate()
    for i, action in enumerate(chosen):
        household = action.goal.plan.household
        worker = leads.get(household.pk)
        member = household.current_memberships().select_related("person").first()
        if worker is None or member is None:
            continue
        resource = rng.choice(resources)
        _consent(member.person, consent_organisation(resource=resource, organisation=None), worker)
        referral = referral_propose(
            household=household,
            person=member.person,
            action=action,
            user=worker,
            resource=resource,
            follow_up_on=today + dt.timedelta(days=7),
        )
        target = targets[i % len(targets)] if i < len(targets) else rng.choice(targets)
        path = _path_to(target, rng)
        days_back = (
            rng.randint(10, 60) if target not in Referral.NEEDS_REASON else rng.randint(8, 25)
        )
        start = timezone.now() - dt.timedelta(days=days_back)
        _backdate(referral, start)
        gap = max(1, days_back // (len(path) + 1))
        referral = _walk(referral, path, worker, start, gap, rng)
        if referral.is_open and (worker.username == "wijkwerker" or rng.random() < 0.3):
            # The check date has passed: this one waits on the worker's list.
            overdue = today - dt.timedelta(days=rng.randint(1, 10))
            Referral.objects.filter(pk=referral.pk).update(follow_up_on=overdue)
            ReferralStep.objects.filter(referral=referral).order_by("-at").filter(
                pk=referral.steps.order_by("-at", "-pk").values("pk")[:1]
            ).update(follow_up_on=overdue)
        count += 1
    return count
