"""Benchmark: the neighbourhood report (issue 7) on five years of history, on PostgreSQL.

Builds a municipality of N households (default 500,000) with the demo generator in a
database this script creates (`buurtkracht_bench_outcomes`), then adds five years of
history in bulk (`COPY`), in the proportions of a big city:

- intakes: about 5% of the households a year (mixed ways in, some households twice, a few
  withdrawn), spread over the five years before today and over every neighbourhood;
- plans for most first intakes (one per household), 1-3 goals and 2-5 actions over the four
  steps; about half the plans close within a year, some later, the rest are still open;
- assessments at the start of the plan, at reviews about every six months and at closure:
  the self-reliance matrix in the worker's view (3-6 domains, 1-5), the own scores in the
  resident's view (1-10) and, for about 40%, the participation ladder ("rung" 1-6), each
  with its stored `summary`;
- signal reports (a few thousand a month, for the months before the demo's own six) with
  their signals and contact attempts.

Then it measures `outcome_report` for one year (the last twelve months) with warm caches:
for one neighbourhood (the largest: the issue's 2-second target), one district, one team
and the whole municipality, and the page (`outcomes:report`) through Django's test client
as a team leader, for one neighbourhood and the whole municipality. Reported: median and
95th percentile, and the number of database queries per call (which must not grow with
the data); the slowest queries of each scope with their share of the time.

Run from the repository root (about twenty minutes at 500,000 households, most of it the
generator):

    PYTHONPATH=src .venv/bin/python benchmarks/outcome_report.py
    PYTHONPATH=src .venv/bin/python benchmarks/outcome_report.py --households 20000
    PYTHONPATH=src .venv/bin/python benchmarks/outcome_report.py --reuse --explain

The database stays; --reuse measures it again without rebuilding, --explain prints
EXPLAIN ANALYZE of the slowest queries of the neighbourhood and municipality reports.
--database NAME (or $BENCH_DATABASE) builds and measures a database of another name, so
that two people on one server do not rebuild each other's; --history-only adds the five
years of history to a database the generator filled already (after a run that stopped
after the generator), which spares the generator's quarter of an hour.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchlib import percentile, recreate_database

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "buurtkracht_bench_outcomes"
YEARS = 5
INTAKES_PER_HOUSEHOLD_YEAR = 0.05
REPORTS_PER_HOUSEHOLD_MONTH = 0.007  # 3,500 a month at 500,000 households

# Ways in, as a big city's teams see them (weights).
SOURCES = {
    "resident": 24,
    "family": 7,
    "neighbour": 5,
    "partner": 15,
    "school": 6,
    "police": 5,
    "general_practice": 10,
    "signal": 16,
    "street": 8,
    "other": 4,
}
STEP_WEIGHTS = (35, 25, 25, 15)  # own strength, network, general, individual provision
OUTCOMES = {
    "accepted": 20,
    "declined": 10,
    "already_helped": 8,
    "not_reached": 40,
    "moved": 7,
    "resolved": 15,
}
REACHED_OUTCOMES = {"accepted", "declined", "already_helped"}
REACH = {"letter": 0.06, "phone": 0.59, "home_visit": 0.46, "card": 0.15, "text": 0.3}
PARTNERS = {  # organisation kind -> (signal partner kind, share)
    "housing_corporation": ("housing", 0.45),
    "energy_supplier": ("energy", 0.30),
    "water_company": ("water", 0.10),
    "health_insurer": ("health_insurer", 0.15),
}


# Building -----------------------------------------------------------------------------------


@dataclass
class Home:
    household: int
    address: int
    neighbourhood: int
    key: str


@dataclass
class Town:
    homes: list[Home]
    team_of: dict[int, int]  # neighbourhood -> team
    workers_of: dict[int, list[int]]  # team -> worker user ids
    planned: set[int]  # households that already have a plan (the demo's)
    versions: dict[str, int]  # instrument code -> active version id
    domains: list[str]
    partners: list[tuple[int, str, float]]  # organisation id, partner kind, share
    signal_officer: int
    first_demo_month: dt.date | None


@dataclass
class Batch:
    """Rows for one round of COPY statements, table by table."""

    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        self.rows[table].append(row)


COLUMNS = {
    "casework_intake": "id, source, name, description, status, created_at, assigned_at,"
    " assigned_to_id, created_by_id, household_id, team_id",
    "casework_plan": "id, household_id, created_at, created_by_id, agreed_on, agreed_how,"
    " review_date, version, updated_at, closed_on, closure_reason, reached, aftercare_on,"
    " aftercare_note",
    "casework_goal": "id, plan_id, text, domains, status, created_at, closed_on",
    "casework_action": "id, goal_id, description, owner, step, due_date, status, created_at",
    "outcomes_assessment": "household_id, instrument_version_id, moment, perspective, held_on,"
    " scores, summary, note, by_id, created_at",
    "signals_delivery": "id, organisation_id, channel, filename, checksum, upload_id,"
    " received_at, status, message, rows_total, rows_done, rows_valid, rows_rejected,"
    " rows_duplicate, ignored_columns",
    "signals_report": "id, address_key, month, address_id, household_id, team_id,"
    " neighbourhood_id, multiple, consecutive, priority, priority_reasons, override_reason,"
    " first_signal_date, first_attempt_due, first_attempt_at, status, outcome, outcome_note,"
    " closed_at, created_at",
    "signals_signal": "delivery_id, organisation_id, partner_kind, partner_reference,"
    " signal_date, initials, given_names, surname_prefix, surname, street, house_number,"
    " house_letter, addition, postcode, town, amount, missed_terms, report_id, match_status,"
    " match_confidence, match_reasons, match_alternatives, created_at",
    "signals_contactattempt": "report_id, kind, reached, note, at, by_id",
}
# Columns added to the models after this script was written, NOT NULL without a database
# default: the same value on every row.
EXTRA_COLUMNS: dict[str, dict[str, Any]] = {
    "casework_intake": {"closed_reason": ""},
    "signals_delivery": {"rows_corrected": 0},
}
# Tables whose ids the script hands out itself (rows refer to them in the same round).
OWN_IDS = ("casework_intake", "casework_plan", "casework_goal", "casework_action")
OWN_IDS_SIGNALS = ("signals_delivery", "signals_report")


def copy_batch(batch: Batch) -> int:
    from django.db import connection, transaction

    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for table, columns in COLUMNS.items():
            rows = batch.rows.get(table)
            if not rows:
                continue
            extra = EXTRA_COLUMNS.get(table, {})
            names = ", ".join([columns, *extra])
            values = tuple(extra.values())
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + values)
            written += len(rows)
    batch.rows.clear()
    return written


def next_ids(tables: tuple[str, ...]) -> dict[str, int]:
    from django.db import connection

    ids = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
            ids[table] = cursor.fetchone()[0]
    return ids


def reset_sequences(tables: tuple[str, ...]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608
                f" (SELECT MAX(id) FROM {table}))"
            )


def load_town() -> Town:
    from django.db import connection

    from buurtkracht.accounts.models import Role, TeamMembership, User
    from buurtkracht.casework.models import Plan
    from buurtkracht.core.models import Organisation, Team
    from buurtkracht.outcomes.models import InstrumentVersion
    from buurtkracht.signals.models import Report
    from buurtkracht.signals.services import address_key

    homes = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT h.id, a.id, a.neighbourhood_id, a.postcode, a.house_number,"
            " a.house_letter, a.addition FROM households_household h"
            " JOIN core_address a ON a.id = h.address_id"
            " WHERE a.neighbourhood_id IS NOT NULL ORDER BY h.id"
        )
        for household, address, area, postcode, number, letter, addition in cursor:
            homes.append(
                Home(household, address, area, address_key(postcode, number, letter, addition))
            )
    team_of = {}
    for team in Team.objects.prefetch_related("neighbourhoods"):
        for area in team.neighbourhoods.all():
            team_of[area.pk] = team.pk
    workers_of: dict[int, list[int]] = defaultdict(list)
    for user_id, team_id in TeamMembership.objects.filter(
        position=TeamMembership.Position.WORKER
    ).values_list("user_id", "team_id"):
        workers_of[team_id].append(user_id)
    versions = {
        v.instrument.code: v.pk
        for v in InstrumentVersion.objects.filter(active=True).select_related("instrument")
    }
    zrm = InstrumentVersion.objects.get(pk=versions["zrm"])
    partners = []
    for kind, (partner_kind, share) in PARTNERS.items():
        organisation = Organisation.objects.filter(kind=kind).order_by("pk").first()
        if organisation is not None:
            partners.append((organisation.pk, partner_kind, share))
    officer = User.objects.filter(role_grants__role=Role.SIGNAL_OFFICER).order_by("pk").first()
    first = Report.objects.order_by("month").values_list("month", flat=True).first()
    return Town(
        homes=homes,
        team_of=team_of,
        workers_of=dict(workers_of),
        planned=set(Plan.objects.values_list("household_id", flat=True)),
        versions=versions,
        domains=[item["code"] for item in zrm.items],
        partners=partners,
        signal_officer=officer.pk if officer else next(iter(workers_of.values()))[0],
        first_demo_month=first,
    )


def _move(rng: random.Random, value: int, lowest: int, highest: int) -> int:
    """Mostly a small step forward, sometimes none, now and then a setback."""
    step = rng.choices((-1, 0, 1, 2), weights=(12, 33, 45, 10))[0]
    return max(lowest, min(highest, value + step))


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    from django.utils import timezone

    moment = dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59)))
    return timezone.make_aware(moment)


class CaseWriter:
    """Intakes, plans, goals, actions and assessments, with ids handed out here."""

    def __init__(self, town: Town, rng: random.Random, today: dt.date) -> None:
        self.town, self.rng, self.today = town, rng, today
        self.ids = next_ids(OWN_IDS)
        self.counts: dict[str, int] = defaultdict(int)

    def _id(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] += 1
        self.counts[table] += 1
        return value

    def intake(self, batch: Batch, home: Home, day: dt.date, worker: int, team: int) -> None:
        rng = self.rng
        source = rng.choices(list(SOURCES), weights=list(SOURCES.values()))[0]
        created = _at(day, rng)
        recent = (self.today - day).days < 10
        status = (
            "withdrawn" if rng.random() < 0.05 else "new" if recent and rng.random() < 0.5 else ""
        )
        status = status or "assigned"
        assigned = created + dt.timedelta(days=rng.randint(1, 9)) if status == "assigned" else None
        batch.add(
            "casework_intake",
            (
                self._id("casework_intake"),
                source,
                "",
                "Aanmelding",
                status,
                created,
                assigned,
                worker if assigned else None,
                worker,
                home.household,
                team,
            ),
        )

    def plan(self, batch: Batch, home: Home, start: dt.date, worker: int) -> None:
        rng, today = self.rng, self.today
        plan_id = self._id("casework_plan")
        created = _at(start, rng)
        r = rng.random()
        closed: dt.date | None = None
        if r < 0.5:
            closed = start + dt.timedelta(days=rng.randint(45, 365))
        elif r < 0.8:
            closed = start + dt.timedelta(days=rng.randint(366, 1100))
        if closed is not None and closed >= today:
            closed = None
        end = closed or today
        batch.add(
            "casework_plan",
            (
                plan_id,
                home.household,
                created,
                worker,
                start + dt.timedelta(days=rng.randint(0, 14)),
                rng.choice(("spoken", "written", "online")),
                None if closed else today + dt.timedelta(days=rng.randint(1, 120)),
                rng.randint(1, 12),
                _at(end, rng),
                closed,
                rng.choice(("goals_reached", "resident_stopped", "help_elsewhere", "moved"))
                if closed
                else "",
                "",
                closed + dt.timedelta(days=90) if closed else None,
                "",
            ),
        )
        goals = []
        span = max(0, (end - start).days)
        for _ in range(rng.choices((1, 2, 3), weights=(40, 40, 20))[0]):
            goal_id = self._id("casework_goal")
            goals.append(goal_id)
            r = rng.random()
            if closed:
                status = "reached" if r < 0.55 else "stopped" if r < 0.75 else "open"
            else:
                status = "reached" if r < 0.2 else "stopped" if r < 0.25 else "open"
            batch.add(
                "casework_goal",
                (
                    goal_id,
                    plan_id,
                    "Doel",
                    json.dumps(rng.sample(self.town.domains, k=rng.randint(1, 2))),
                    status,
                    _at(min(end, start + dt.timedelta(days=rng.randint(0, 20))), rng),
                    # A closed goal closes on a day of the plan's life (no draw from rng:
                    # the rest of the data stays as it was).
                    None
                    if status == "open"
                    else start + dt.timedelta(days=span * (goal_id % 8) // 7),
                ),
            )
        span = max(0, (end - start).days)
        for n in range(max(len(goals), rng.randint(2, 5))):
            day = start + dt.timedelta(days=min(span, int(span * rng.random() ** 2)))
            batch.add(
                "casework_action",
                (
                    self._id("casework_action"),
                    goals[n % len(goals)],
                    "Actie",
                    "Bewoner",
                    rng.choices((1, 2, 3, 4), weights=STEP_WEIGHTS)[0],
                    day + dt.timedelta(days=rng.randint(14, 60)),
                    "done" if rng.random() < 0.6 else "todo",
                    _at(day, rng),
                ),
            )
        self.assessments(batch, home, start, closed, worker)

    def assessments(
        self, batch: Batch, home: Home, start: dt.date, closed: dt.date | None, worker: int
    ) -> None:
        from buurtkracht.outcomes.models import score_summary

        rng, today, versions = self.rng, self.today, self.town.versions
        moments = [("intake", min(today, start + dt.timedelta(days=rng.randint(0, 14))))]
        day = moments[0][1]
        end = closed or today
        while True:
            day += dt.timedelta(days=rng.randint(150, 210))
            if day >= end:
                break
            moments.append(("review", day))
        if closed:
            moments.append(("closure", closed))
        touched = rng.sample(self.town.domains, k=rng.randint(3, 6))
        zrm = {d: rng.choices((1, 2, 3, 4), weights=(10, 40, 35, 15))[0] for d in touched}
        own = {d: min(10, max(1, zrm[d] * 2 + rng.randint(-1, 2))) for d in touched}
        rung = rng.choices((1, 2, 3, 4), weights=(25, 35, 30, 10))[0]
        ladder = rng.random() < 0.4
        for n, (moment, held_on) in enumerate(moments):
            if n:
                zrm = {d: _move(rng, v, 1, 5) for d, v in zrm.items()}
                own = {d: _move(rng, v, 1, 10) for d, v in own.items()}
                rung = _move(rng, rung, 1, 6)
            created = _at(held_on, rng)
            kinds = [("zrm", "worker", zrm), ("own_score", "resident", own)]
            if ladder:
                kinds.append(("participation_ladder", "worker", {"rung": rung}))
            for code, perspective, scores in kinds:
                batch.add(
                    "outcomes_assessment",
                    (
                        home.household,
                        versions[code],
                        moment,
                        perspective,
                        held_on,
                        json.dumps(scores),
                        score_summary(scores),
                        "",
                        worker,
                        created,
                    ),
                )
                self.counts["outcomes_assessment"] += 1


def build_cases(town: Town, seed: int, today: dt.date) -> dict[str, int]:
    rng = random.Random(f"bench-outcomes:{seed}:cases")
    writer = CaseWriter(town, rng, today)
    days = YEARS * 365 + 1
    total = round(len(town.homes) * INTAKES_PER_HOUSEHOLD_YEAR * YEARS)
    # Intakes in date order, so that a second intake of a household comes after its first.
    dates = sorted(today - dt.timedelta(days=rng.randrange(days)) for _ in range(total))
    seen: list[Home] = []
    known: set[int] = set(town.planned)
    batch = Batch()
    for day in dates:
        if seen and rng.random() < 0.1:
            home = rng.choice(seen)  # came in again
            again = True
        else:
            home = rng.choice(town.homes)
            again = home.household in known
        team = town.team_of[home.neighbourhood]
        worker = rng.choice(town.workers_of[team])
        writer.intake(batch, home, day, worker, team)
        if not again:
            seen.append(home)
            known.add(home.household)
            start = day + dt.timedelta(days=rng.randint(3, 30))
            if rng.random() < 0.8 and start < today:
                writer.plan(batch, home, start, worker)
        if len(batch.rows["casework_intake"]) >= 10_000:
            copy_batch(batch)
    copy_batch(batch)
    reset_sequences(OWN_IDS)
    return dict(writer.counts)


def _months_back(day: dt.date, back: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def build_signals(town: Town, seed: int, today: dt.date) -> dict[str, int]:
    """Reports for every month of the five years before the demo's own months."""
    rng = random.Random(f"bench-outcomes:{seed}:signals")
    ids = next_ids(OWN_IDS_SIGNALS)
    counts: dict[str, int] = defaultdict(int)
    per_month = max(1, round(len(town.homes) * REPORTS_PER_HOUSEHOLD_MONTH))
    # Arrears return: most reports come from a pool of a seventh of the town.
    pool = rng.sample(town.homes, k=max(1, len(town.homes) // 7))
    last_report: dict[str, dt.date] = {}
    first_demo = town.first_demo_month or _months_back(today, -1)
    months = [
        m
        for m in (_months_back(today, back) for back in range(YEARS * 12, -1, -1))
        if m < first_demo
    ]
    batch = Batch()
    for month in months:
        deliveries = []
        for organisation, partner_kind, share in town.partners:
            delivery_id = ids["signals_delivery"]
            ids["signals_delivery"] += 1
            received = _at(month + dt.timedelta(days=27), rng)
            batch.add(
                "signals_delivery",
                (
                    delivery_id,
                    organisation,
                    "upload",
                    f"{partner_kind}-{month:%Y%m}.csv",
                    f"bench{delivery_id:059d}",
                    "",
                    received,
                    "done",
                    "",
                    0,
                    0,
                    0,
                    0,
                    0,
                    "[]",
                ),
            )
            counts["signals_delivery"] += 1
            deliveries.append((delivery_id, organisation, partner_kind, share))
        taken: set[str] = set()
        for _ in range(per_month):
            home = rng.choice(pool) if rng.random() < 0.8 else rng.choice(town.homes)
            if home.key in taken:
                continue
            taken.add(home.key)
            report_id = ids["signals_report"]
            ids["signals_report"] += 1
            first_signal = month + dt.timedelta(days=rng.randint(0, 20))
            created = _at(first_signal + dt.timedelta(days=1), rng)
            previous = last_report.get(home.key)
            consecutive = previous is not None and (month - previous).days <= 184
            last_report[home.key] = month
            outcome = rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
            attempted = rng.random() < 0.92
            first_attempt = created + dt.timedelta(days=rng.randint(1, 10)) if attempted else None
            signals = rng.choices((1, 2, 3), weights=(82, 14, 4))[0]
            batch.add(
                "signals_report",
                (
                    report_id,
                    home.key,
                    month,
                    home.address,
                    home.household,
                    town.team_of.get(home.neighbourhood),
                    home.neighbourhood,
                    signals > 1,
                    consecutive,
                    rng.randint(0, 6),
                    "[]",
                    "",
                    first_signal,
                    first_signal + dt.timedelta(days=5),
                    first_attempt,
                    "closed",
                    outcome,
                    "",
                    created + dt.timedelta(days=rng.randint(10, 40)),
                    created,
                ),
            )
            counts["signals_report"] += 1
            for n in range(signals):
                delivery, organisation, partner_kind, _share = rng.choices(
                    deliveries, weights=[d[3] for d in deliveries]
                )[0]
                batch.add(
                    "signals_signal",
                    (
                        delivery,
                        organisation,
                        partner_kind,
                        f"BENCH-{report_id}-{n}",
                        first_signal + dt.timedelta(days=rng.randint(0, 5)),
                        "J.",
                        "",
                        "",
                        "Jansen",
                        "",
                        1,
                        "",
                        "",
                        "1234AB",
                        "Lindenhoven",
                        rng.randint(150, 4000),
                        rng.randint(1, 6),
                        report_id,
                        "automatic",
                        90,
                        "[]",
                        "[]",
                        created,
                    ),
                )
                counts["signals_signal"] += 1
            if first_attempt is None:
                continue
            tries = rng.choices((1, 2, 3), weights=(45, 35, 20))[0]
            for n in range(tries):
                kind = rng.choice(list(REACH))
                last = n == tries - 1
                reached = (
                    outcome in REACHED_OUTCOMES
                    if last
                    else outcome != "not_reached" and rng.random() < REACH[kind] / 3
                )
                batch.add(
                    "signals_contactattempt",
                    (
                        report_id,
                        kind,
                        reached,
                        "",
                        first_attempt + dt.timedelta(days=3 * n),
                        town.signal_officer,
                    ),
                )
                counts["signals_contactattempt"] += 1
        copy_batch(batch)
    reset_sequences(OWN_IDS_SIGNALS)
    return dict(counts)


def build(households: int, seed: int, *, history_only: bool = False) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from buurtkracht.demo.generator import generate_municipality

    timings: dict[str, float] = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not history_only:
        generate_municipality(seed=seed, households=households, progress=True)
        timings["municipality_s"] = round(time.perf_counter() - started, 1)
        print(f"municipality: {timings['municipality_s']:.0f} s", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    started = time.perf_counter()
    today = timezone.localdate()
    town = load_town()
    cases = build_cases(town, seed, today)
    timings["cases_s"] = round(time.perf_counter() - started, 1)
    print(f"cases: {cases} in {timings['cases_s']:.0f} s", file=sys.stderr)
    started = time.perf_counter()
    signals = build_signals(town, seed, today)
    timings["signals_s"] = round(time.perf_counter() - started, 1)
    print(f"signals: {signals} in {timings['signals_s']:.0f} s", file=sys.stderr)
    started = time.perf_counter()
    # Fresh statistics and visibility maps, as autovacuum gives a database in use.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    timings["vacuum_analyze_s"] = round(time.perf_counter() - started, 1)
    print(f"vacuum analyze: {timings['vacuum_analyze_s']:.0f} s", file=sys.stderr)
    return timings


# Measuring ----------------------------------------------------------------------------------


def data_sizes() -> dict[str, int]:
    from django.db import connection

    tables = {
        "households": "households_household",
        "persons": "households_person",
        "intakes": "casework_intake",
        "plans": "casework_plan",
        "goals": "casework_goal",
        "actions": "casework_action",
        "assessments": "outcomes_assessment",
        "signal_reports": "signals_report",
        "signals": "signals_signal",
        "contact_attempts": "signals_contactattempt",
    }
    sizes = {}
    with connection.cursor() as cursor:
        for name, table in tables.items():
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
            sizes[name] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        sizes["database_mib"] = round(cursor.fetchone()[0] / 2**20)
    return sizes


def last_year() -> tuple[dt.date, dt.date]:
    from django.utils import timezone

    end = timezone.localdate()
    try:
        start = end.replace(year=end.year - 1) + dt.timedelta(days=1)
    except ValueError:  # 29 February
        start = end.replace(year=end.year - 1, day=28) + dt.timedelta(days=1)
    return start, end


def timed(call: Callable[[], Any], runs: int, warm: int = 2) -> dict[str, Any]:
    """Median and 95th percentile of `runs` calls after `warm` warm-up calls, the queries
    per call, and the slowest queries of the last call (by their own time)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warm):
        call()
    times: list[float] = []
    queries: set[int] = set()
    per_query: dict[int, list[float]] = defaultdict(list)
    sql: dict[int, str] = {}
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        queries.add(len(captured.captured_queries))
        for n, query in enumerate(captured.captured_queries):
            per_query[n].append(float(query["time"]) * 1000)
            sql[n] = query["sql"]
    slowest = sorted(per_query, key=lambda n: -statistics.median(per_query[n]))[:3]
    return {
        "runs": runs,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "max_ms": round(max(times), 1),
        "queries": sorted(queries),
        "slowest_queries": [
            {"n": n, "p50_ms": round(statistics.median(per_query[n]), 1), "sql": sql[n][:300]}
            for n in slowest
        ],
        "_sql": [sql[n] for n in slowest],
    }


def table_breakdown(area: Any, team: Any, runs: int = 5) -> dict[str, float]:
    """Median time of each table of the report, for finding the slow one."""
    from buurtkracht.outcomes import reports
    from buurtkracht.outcomes.reports import movement, outreach, plans

    period = reports.Period(*last_year())
    areas = reports.neighbourhoods_for(team, area)
    ids = [a.pk for a in areas]
    parts: dict[str, Callable[[], Any]] = {
        "reach": lambda: plans._reach(areas, period, ids),
        "plans": lambda: plans._plans(areas, period, ids),
        "steps": lambda: plans._steps(areas, period, ids),
        "signals": lambda: outreach._signals(areas, period, team),
    }
    parts["movement (three instruments)"] = lambda: movement._movement_tables(areas, period, ids)
    result = {}
    for name, part in parts.items():
        part()
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            part()
            times.append((time.perf_counter() - started) * 1000)
        result[name] = round(statistics.median(times), 1)
    return result


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def measure(runs: int, show_plans: bool) -> dict[str, Any]:
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from buurtkracht.accounts.models import Role, User
    from buurtkracht.core.models import Area, Team
    from buurtkracht.outcomes.reports import Period, outcome_report

    start, end = last_year()
    period = Period(start, end)
    # The largest neighbourhood (most households), its district and the team serving it.
    neighbourhood = (
        Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD)
        .annotate(n=Count("addresses__households"))
        .order_by("-n", "pk")
        .first()
    )
    assert neighbourhood is not None and neighbourhood.parent is not None
    district = neighbourhood.parent
    team = Team.objects.filter(neighbourhoods=neighbourhood).order_by("pk").first()
    assert team is not None
    scopes: dict[str, dict[str, Any]] = {
        f"(a) neighbourhood {neighbourhood.name}": {"area": neighbourhood},
        f"(b) district {district.name}": {"area": district},
        f"(c) team {team.name}": {"team": team},
        "(d) municipality": {},
    }
    results: dict[str, Any] = {
        "period": [start.isoformat(), end.isoformat()],
        "neighbourhood_households": getattr(neighbourhood, "n", None),
        "calls": {},
        "pages": {},
    }
    for name, kwargs in scopes.items():

        def call(kwargs: dict[str, Any] = kwargs) -> None:
            outcome_report(period=period, **kwargs)

        figures = timed(call, runs)
        results["calls"][name] = figures
        print(
            f"{name}: {figures['p50_ms']} / {figures['p95_ms']} ms",
            figures["queries"],
            file=sys.stderr,
        )

    leader = User.objects.filter(role_grants__role=Role.TEAM_LEADER).order_by("pk").first()
    assert leader is not None
    client = Client()
    client.force_login(leader)
    url = reverse("outcomes:report")
    pages = {
        f"(a) page, neighbourhood {neighbourhood.name}": {"area": neighbourhood.pk},
        "(d) page, municipality": {},
    }
    for name, extra in pages.items():
        params = {"date_from": start.isoformat(), "date_to": end.isoformat(), **extra}

        def get(params: dict[str, Any] = params) -> None:
            response = client.get(url, params)
            assert response.status_code == 200, response.status_code
            assert b'id="signals-table"' in response.content

        figures = timed(get, runs)
        results["pages"][name] = figures
        print(
            f"{name}: {figures['p50_ms']} / {figures['p95_ms']} ms",
            figures["queries"],
            file=sys.stderr,
        )

    results["tables_ms"] = {
        "neighbourhood": table_breakdown(neighbourhood, None),
        "municipality": table_breakdown(None, None),
    }
    if show_plans:
        for name in (f"(a) neighbourhood {neighbourhood.name}", "(d) municipality"):
            for sql in results["calls"][name]["_sql"][:2]:
                print(f"\n-- {name}\n{sql}\n{explain(sql)}", file=sys.stderr)
    for group in (results["calls"], results["pages"]):
        for figures in group.values():
            figures.pop("_sql")
    return results


def print_table(results: dict[str, Any]) -> None:
    print("\nOutcome report, one year (" + " to ".join(results["period"]) + ")")
    print(f"{'what':<48} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}  queries")
    for group in ("calls", "pages"):
        for name, f in results[group].items():
            queries = ",".join(str(q) for q in f["queries"])
            print(f"{name:<48} {f['p50_ms']:>9} {f['p95_ms']:>9} {f['max_ms']:>9}  {queries}")
    print("\nper table (median ms):")
    for scope, parts in results["tables_ms"].items():
        print(f"  {scope}: " + ", ".join(f"{k} {v}" for k, v in parts.items()))
    print("\ndata: " + ", ".join(f"{k} {v:,}" for k, v in results["data"].items()))
    print()


def code_version() -> str:
    """The commit measured, and whether the working tree differed from it."""
    import subprocess

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    changed = git("status", "--porcelain", "--", "src")
    return git("rev-parse", "--short", "HEAD") + (
        " + uncommitted changes in src" if changed else ""
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=20, help="measured calls per figure")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="measure an existing database")
    parser.add_argument(
        "--history-only",
        action="store_true",
        help="add the five years of history to a database whose municipality the generator"
        " built already (after a run that stopped there), then measure",
    )
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE slow queries")
    parser.add_argument(
        "--database",
        default=os.environ.get("BENCH_DATABASE", DATABASE),
        help=f"the benchmark's own database (default {DATABASE}, or $BENCH_DATABASE)",
    )
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtkracht.conf.test")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(ROOT / "src"))
    if not args.reuse and not args.history_only:
        recreate_database(args.database)
    import django

    django.setup()
    build_times: dict[str, Any] = {}
    if args.reuse:
        # The code may have gained tables since the build: they start empty.
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    else:
        started = time.perf_counter()
        build_times = build(args.households, args.seed, history_only=args.history_only)
        build_times["total_s"] = round(time.perf_counter() - started, 1)
    results = measure(args.runs, args.explain)
    results["data"] = data_sizes()
    results["build"] = build_times
    results["measured_on"] = dt.date.today().isoformat()
    results["cpus"] = os.cpu_count()
    results["code"] = code_version()
    print_table(results)
    print(json.dumps(results, indent=2))
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    households = results["data"]["households"]
    (out / f"outcome_report_{households}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
