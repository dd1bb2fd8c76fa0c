"""What the benchmark scripts here share: their own PostgreSQL database, percentiles, and
for the signal matching benchmarks Django's set-up, the evaluation set and the run of
Buurtkracht's matcher.

The scripts run as `PYTHONPATH=src .venv/bin/python benchmarks/<name>.py`, so this module
is imported from the scripts' own folder."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def percentile(values: list[float], fraction: float) -> float:
    """The value at `fraction` (0.95 for the 95th percentile) of the sorted values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def recreate_database(name: str) -> None:
    """Drop and create the benchmark's own database (never the test database)."""
    import psycopg

    if name in {"test", "postgres", "root"}:
        raise ValueError(f"Refusing to recreate the database {name!r}.")
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")


# --- Signal matching: the evaluation set and Buurtkracht's matcher, shared by
# signal_matching_quality.py and splink_side_by_side.py. Django is imported inside the
# functions: setup_django() must run first.

ROOT = Path(__file__).resolve().parent.parent


def setup_django(data_dir: str) -> None:
    """Django with the dev settings, DEBUG off, SQLite in `data_dir` unless DATABASE_URL."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "buurtkracht.conf.dev"
    # DEBUG off: the query log of DEBUG would grow with every statement.
    os.environ["DEBUG"] = "0"
    if "DATABASE_URL" not in os.environ:
        os.environ["BUURTKRACHT_DATA_DIR"] = data_dir
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


@dataclass
class EvaluationSet:
    """The generated municipality and the signals with known truth drawn from it."""

    households: int
    persons: int
    rows: list[Any]  # buurtkracht.demo.signal_eval.EvalSignal
    generation_seconds: float
    evaluation_set_seconds: float


def evaluation_set(
    *, households: int, signals: int, seed: int, negative_share: float
) -> EvaluationSet:
    """Migrate, generate the municipality when the database is empty, draw the signals."""
    from django.core.management import call_command

    from buurtkracht.core.models import Municipality
    from buurtkracht.demo.generator import generate_municipality
    from buurtkracht.demo.signal_eval import build_evaluation_set
    from buurtkracht.households.models import Household, Person

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if not Municipality.objects.exists():
        print(f"Generating {households:,} households…", file=sys.stderr)
        # With address history: people who moved within the town (the movers of the
        # evaluation set are looked for at their new address).
        generate_municipality(
            seed=seed, households=households, progress=False, address_history=True
        )
    generation = time.perf_counter() - started
    started = time.perf_counter()
    rows = build_evaluation_set(seed=seed, size=signals, negative_share=negative_share)
    evaluation = time.perf_counter() - started
    return EvaluationSet(
        households=Household.objects.count(),
        persons=Person.objects.count(),
        rows=rows,
        generation_seconds=generation,
        evaluation_set_seconds=evaluation,
    )


@dataclass
class MatchRun:
    """Buurtkracht's results for the rows, in their order, and where the time went."""

    results: list[Any]  # buurtkracht.signals.matching.MatchResult
    loading_seconds: float
    scoring_seconds: float
    queries: int
    cpu_seconds: float = 0.0  # of this process; the database's own work not included


def match_with_buurtkracht(rows: list[Any], batch_size: int) -> MatchRun:
    """What match_signals does, with the loading and the scoring timed apart: batches in
    postcode order, results back in the order of the rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from buurtkracht.signals.matching import load_candidates_for, match_batch

    loading = scoring = 0.0
    cpu_started = time.process_time()
    results: list[Any] = [None] * len(rows)
    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        order = sorted(range(len(rows)), key=lambda i: rows[i].postcode)
        scoring += time.perf_counter() - t0
        for start in range(0, len(order), batch_size):
            positions = order[start : start + batch_size]
            batch = [rows[i] for i in positions]
            t0 = time.perf_counter()
            index = load_candidates_for(batch)
            t1 = time.perf_counter()
            # match_batch as the service: at the address first, then elsewhere (movers,
            # typos in the address) for the signals that found nobody there; the loading
            # of those candidates is counted as scoring here.
            for position, result in zip(positions, match_batch(batch, index), strict=True):
                results[position] = result
            t2 = time.perf_counter()
            loading += t1 - t0
            scoring += t2 - t1
    cpu = time.process_time() - cpu_started
    return MatchRun(results, loading, scoring, len(queries.captured_queries), cpu)
