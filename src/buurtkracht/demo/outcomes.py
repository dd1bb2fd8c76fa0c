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
from typing import Any

from django.db import transaction
from django.utils import timezone

from buurtkracht.casework.models import Plan
from buurtkracht.households.models import Household
from buurtkracht.outcomes.models import Assessment, InstrumentVersion, score_summary
from buurtkracht.outcomes.services import assessment_record

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


def _story_two(household: Household, user: Any, versions: dict[str, InstrumentVersion]) -> int:
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
    return counts
