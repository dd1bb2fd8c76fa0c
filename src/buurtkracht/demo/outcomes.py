"""Assessments for the demo: every household with a plan has an intake and a review, the
worker's view (self-reliance matrix) and the resident's own view (own 1-10 scores), with
the movement real work shows — mostly small steps forward, sometimes a step back.

The `bewoner` household carries the flavour of story 2 of PRODUCT.md: a man whose
participation-ladder rung rises from 1 to 3 over a year as his network grows (and, as in
story 1 that the same household's plan tells, the finances go from 2 to 4). Its
assessments go through the service (with audit events); the rest of the town is written in
bulk so that the demo of 5,000 households stays quick (as if imported from an earlier
system, hence without audit events).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from buurtkracht.accounts.models import User
from buurtkracht.audit.models import Ground
from buurtkracht.casework.models import Plan
from buurtkracht.core.models import Team
from buurtkracht.households.models import Consent, Household
from buurtkracht.outcomes.models import Assessment, InstrumentVersion, Story, score_summary
from buurtkracht.outcomes.services import assessment_record
from buurtkracht.outcomes.stories import resident_story_consent_set, story_write

Moment = Assessment.Moment
Perspective = Assessment.Perspective

# Story 2: (days ago, moment, rung, ZRM worker's view, own scores) — the social network and
# daily activity move most, as the peer group and the volunteer job come in.
STORY_TWO = (
    (
        360,
        Moment.INTAKE,
        1,
        {"social_network": 1, "work": 1, "mental_health": 2, "finances": 2, "housing": 3},
        {"social_network": 2, "work": 2, "mental_health": 4, "finances": 6, "housing": 7},
    ),
    (
        180,
        Moment.REVIEW,
        2,
        {"social_network": 2, "work": 2, "mental_health": 3, "finances": 3, "housing": 4},
        {"social_network": 4, "work": 4, "mental_health": 5, "finances": 6, "housing": 7},
    ),
    (
        14,
        Moment.REVIEW,
        3,
        {"social_network": 3, "work": 3, "mental_health": 3, "finances": 4, "housing": 4},
        {"social_network": 6, "work": 6, "mental_health": 6, "finances": 5, "housing": 7},
    ),
)


def _move(rng: random.Random, value: int, lowest: int, highest: int) -> int:
    """Mostly a small step forward, sometimes none, now and then a setback."""
    step = rng.choices((-1, 0, 1, 2), weights=(12, 33, 45, 10))[0]
    return max(lowest, min(highest, value + step))


def _versions() -> dict[str, InstrumentVersion]:
    versions = InstrumentVersion.objects.filter(active=True).select_related("instrument")
    return {v.instrument.code: v for v in versions.order_by("number")}


def _story_two(household: Household, user: User, versions: dict[str, InstrumentVersion]) -> int:
    today = timezone.localdate()
    person = household.members.order_by("pk").first()
    count = 0
    for days, moment, rung, worker_view, own_view in STORY_TWO:
        held_on = today - dt.timedelta(days=days)
        for code, perspective, scores, who in (
            ("participation_ladder", Perspective.WORKER, {"rung": rung}, person),
            ("zrm", Perspective.WORKER, worker_view, None),
            ("own_score", Perspective.RESIDENT, own_view, None),
        ):
            assessment_record(
                household=household,
                instrument_version=versions[code],
                moment=moment,
                perspective=perspective,
                held_on=held_on,
                scores=scores,
                user=user,
                person=who,
            )
            count += 1
    return count


@transaction.atomic
def outcomes_story_create(*, seed: int, resident_household: Household | None) -> dict[str, int]:
    """Intake and review assessments for every household with a plan."""
    rng = random.Random(f"buurtkracht-demo:{seed}:outcomes")
    versions = _versions()
    if not {"zrm", "own_score", "participation_ladder"} <= set(versions):
        return {}
    today = timezone.localdate()
    zrm, own, ladder = versions["zrm"], versions["own_score"], versions["participation_ladder"]
    domains = [item["code"] for item in zrm.items]
    rows: list[Assessment] = []
    counts = {"assessments": 0}
    plans = Plan.objects.select_related("household").order_by("household_id")
    for plan in plans:
        household, worker = plan.household, plan.created_by
        if resident_household is not None and household.pk == resident_household.pk:
            counts["assessments"] += _story_two(household, worker, versions)
            continue
        intake_on = today - dt.timedelta(days=rng.randint(90, 200))
        review_on = intake_on + dt.timedelta(days=rng.randint(60, 85))
        touched = rng.sample(domains, k=rng.randint(3, 6))
        worker_start = {d: rng.choices((1, 2, 3, 4), weights=(10, 40, 35, 15))[0] for d in touched}
        own_start = {d: min(10, max(1, worker_start[d] * 2 + rng.randint(-1, 2))) for d in touched}
        worker_then = {d: _move(rng, v, 1, 5) for d, v in worker_start.items()}
        own_then = {d: _move(rng, _move(rng, v, 1, 10), 1, 10) for d, v in own_start.items()}
        for moment, held_on, worker_scores, own_scores in (
            (Moment.INTAKE, intake_on, worker_start, own_start),
            (Moment.REVIEW, review_on, worker_then, own_then),
        ):
            common = {"household": household, "moment": moment, "held_on": held_on, "by": worker}
            rows.append(
                Assessment(
                    instrument_version=zrm,
                    perspective=Perspective.WORKER,
                    scores=worker_scores,
                    **common,
                )
            )
            rows.append(
                Assessment(
                    instrument_version=own,
                    perspective=Perspective.RESIDENT,
                    scores=own_scores,
                    **common,
                )
            )
        if rng.random() < 0.4:
            rung = rng.choices((1, 2, 3, 4), weights=(25, 35, 30, 10))[0]
            for moment, held_on, value in (
                (Moment.INTAKE, intake_on, rung),
                (Moment.REVIEW, review_on, _move(rng, rung, 1, 6)),
            ):
                rows.append(
                    Assessment(
                        household=household,
                        instrument_version=ladder,
                        moment=moment,
                        perspective=Perspective.WORKER,
                        held_on=held_on,
                        scores={"rung": value},
                        by=worker,
                    )
                )
    for row in rows:
        row.summary = score_summary(row.scores)
    Assessment.objects.bulk_create(rows, batch_size=2000)
    counts["assessments"] += len(rows)
    counts["stories"] = _stories_create(rng, resident_household)
    return counts


# Weekimpressies as workers write them: what happened, what it meant. Synthetic.
TEAM_STORIES = (
    (
        "Koffieochtend liep vol",
        "Twintig buren aan tafel in het buurthuis. Twee mensen vroegen "
        "na afloop of we eens langs wilden komen; dat doen we volgende week.",
    ),
    (
        "Eropaf na de huurachterstanden",
        "Deze week vijf adressen bezocht na signalen van de "
        "corporatie. Bij drie deed iemand open; twee gingen meteen akkoord met een afspraak.",
    ),
    (
        "Moestuin krijgt een tweede bak",
        "De bewoners van de moestuin regelen zelf hout en "
        "gereedschap. Wij hoefden alleen de vergunning na te vragen.",
    ),
    (
        "Samen met de huisarts",
        "Overleg met de praktijkondersteuner over eenzaamheid bij "
        "ouderen in de flats. Afspraak: zij verwijst warm door naar de wandelclub.",
    ),
    (
        "Taalcafé zoekt vrijwilligers",
        "Het taalcafé groeit harder dan de groep vrijwilligers. "
        "We hebben het gevraagd bij de kerk en bij de vrijwilligerscentrale.",
    ),
    (
        "Lastige week",
        "Twee gezinnen met een dreigende ontruiming tegelijk. Het lukte om beide "
        "uitstel te krijgen, maar het kostte veel belwerk. Bespreken in het casusoverleg.",
    ),
    (
        "Repaircafé als ingang",
        "Via het repaircafé kwamen we in gesprek met een man die al "
        "maanden zijn post niet opent. Hij komt nu zelf naar het inloopspreekuur.",
    ),
    (
        "Budgetcursus vol",
        "De budgetcursus in het buurthuis zit vol. Zes van de tien deelnemers "
        "kwamen via een keukentafelgesprek.",
    ),
)
HOUSEHOLD_STORIES = (
    (
        "Eerste stap gezet",
        "Ze belde zelf de corporatie voor een betalingsregeling. Daar was ze trots op, en terecht.",
    ),
    (
        "Broer helpt weer mee",
        "Het contact met haar broer is hersteld. Hij komt elke week de post met haar doornemen.",
    ),
    (
        "Weer naar buiten",
        "Hij loopt nu twee keer per week mee met de wandelclub. 'Ik had niet "
        "gedacht dat ik dat nog zou doen.'",
    ),
    (
        "Rust in de financiën",
        "De schuldhulp is gestart en de deurwaarder is gestopt. Het gezin slaapt weer beter.",
    ),
    (
        "Kinderen naar de sportclub",
        "Via het jeugdfonds sporten beide kinderen nu. Moeder vertelt dat het thuis rustiger is.",
    ),
)
OWN_STORY = (
    "Ik hoor er weer bij",
    "Een jaar geleden kwam ik de deur bijna niet uit. Nu ga ik elke week naar de "
    "lotgenotengroep en help ik in de moestuin. Met mijn zus bel ik weer. Het gaat niet elke "
    "dag goed, maar ik sta er niet meer alleen voor.",
)


def _stories_create(rng: random.Random, resident_household: Household | None) -> int:
    """General stories of each team, stories from households with a plan (the first
    member's consent given for most of them), and the `bewoner`'s own story with consent.
    Written in bulk, as if imported; the resident's own goes through the service."""
    today = timezone.localdate()
    stories: list[Story] = []
    consents: list[Consent] = []
    for team in Team.objects.order_by("pk"):
        members = list(
            User.objects.filter(team_memberships__team=team).order_by("pk").distinct()[:10]
        )
        areas = list(team.neighbourhoods.order_by("pk"))
        if not members:
            continue
        for title, text in rng.sample(TEAM_STORIES, k=5):
            stories.append(
                Story(
                    title=title,
                    text=text,
                    written_on=today - dt.timedelta(days=rng.randint(3, 170)),
                    source=Story.Source.WORKER,
                    author=rng.choice(members),
                    team=team,
                    neighbourhood=rng.choice(areas) if areas and rng.random() < 0.7 else None,
                )
            )
    plans = list(
        Plan.objects.select_related("household__address__neighbourhood", "created_by")
        .exclude(household=resident_household)
        .order_by("pk")[:60]
    )
    for plan in rng.sample(plans, k=min(30, len(plans))):
        household = plan.household
        person = household.members.order_by("pk").first()
        neighbourhood = household.address.neighbourhood if household.address_id else None
        if person is None or neighbourhood is None:
            continue
        title, text = rng.choice(HOUSEHOLD_STORIES)
        stories.append(
            Story(
                title=title,
                text=text,
                written_on=today - dt.timedelta(days=rng.randint(3, 150)),
                source=Story.Source.WORKER,
                author=plan.created_by,
                team=neighbourhood.teams.order_by("pk").first(),
                neighbourhood=neighbourhood,
                household=household,
                about=person,
            )
        )
        if rng.random() < 0.7:
            consents.append(
                Consent(
                    person=person,
                    purpose=Consent.Purpose.STORY_IN_REPORT,
                    given=True,
                    method=Consent.Method.SPOKEN,
                    recorded_at=timezone.now() - dt.timedelta(days=rng.randint(1, 150)),
                    recorded_by=plan.created_by,
                )
            )
    Story.objects.bulk_create(stories)
    Consent.objects.bulk_create(consents)
    count = len(stories)
    resident = User.objects.filter(person__memberships__household=resident_household).first()
    if resident_household is not None and resident is not None and resident.person:
        title, text = OWN_STORY
        story_write(
            author=resident,
            title=title,
            text=text,
            source=Story.Source.RESIDENT,
            written_on=today - dt.timedelta(days=10),
            household=resident_household,
            about=resident.person,
            ground=Ground.OWN_DATA,
        )
        resident_story_consent_set(person=resident.person, given=True, user=resident)
        count += 1
    return count
