"""Benchmark: server time of the household page and "Mijn werk" at scale, on PostgreSQL.

Builds a municipality of N households (default 100,000) with the demo generator in a
database this script creates (`buurtkracht_bench_pages`), then adds timeline entries
(contacts) until the database holds M of them (default 2,000,000): most spread over all
households, and a heavy share on the households of one lead worker, whose pages are then
measured. The lead worker also gets plans with goals and actions, so that "Mijn werk" has
actions, reviews and quiet households to find. The team view (`/team/`) is requested by
the leader of that worker's team.

Each page is requested in-process through Django's test client (no network, full
middleware, access check, audit write and template rendering) with the test settings (debug
off, as in production). Reported: median and 95th percentile of the server time, and the
number of database queries per request (which must not grow with the data).

Run from the repository root (takes a few minutes, most of it building the data):

    PYTHONPATH=src .venv/bin/python benchmarks/casework_pages.py
    PYTHONPATH=src .venv/bin/python benchmarks/casework_pages.py \
        --households 20000 --contacts 300000

The database stays; --reuse measures it again without rebuilding (migrate it first when
the code gained a migration). --database names another database, so that two people can
measure at once.
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
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from benchlib import percentile, recreate_database

if TYPE_CHECKING:
    from buurtkracht.accounts.models import User

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "buurtkracht_bench_pages"


def build(households: int, contacts: int, heavy_households: int, seed: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from buurtkracht.casework.models import Action, LifeDomain, Plan, Step
    from buurtkracht.casework.services import action_add, goal_add, plan_get_or_create
    from buurtkracht.demo.generator import generate_municipality
    from buurtkracht.households.models import Household, Involvement

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    generate_municipality(seed=seed, households=households, progress=True)
    print(f"municipality: {time.perf_counter() - started:.1f} s", file=sys.stderr)

    worker = bench_worker()
    rng = random.Random(seed)
    today = timezone.localdate()
    led = set(
        Involvement.objects.filter(worker=worker, end_date__isnull=True).values_list(
            "household_id", flat=True
        )
    )
    # A full caseload: top the worker up to `heavy_households` households they lead.
    free = (
        Household.objects.exclude(
            pk__in=Involvement.objects.filter(end_date__isnull=True).values("household_id")
        )
        .order_by("pk")
        .values_list("pk", flat=True)[: max(0, heavy_households - len(led))]
    )
    Involvement.objects.bulk_create(
        Involvement(household_id=pk, worker=worker, kind=Involvement.Kind.LEAD, start_date=today)
        for pk in free
    )
    heavy = sorted(
        Involvement.objects.filter(worker=worker, end_date__isnull=True).values_list(
            "household_id", flat=True
        )
    )
    for pk in heavy:
        household = Household.objects.get(pk=pk)
        if Plan.objects.filter(household=household).exists():
            continue
        plan = plan_get_or_create(household=household, user=worker)
        for g in range(3):
            goal = goal_add(
                plan=plan, text=f"Doel {g + 1}", domains=[LifeDomain.FINANCES], user=worker
            )
            for step in Step.values:
                action_add(
                    goal=goal,
                    description=f"Actie {step}",
                    owner="Bewoner",
                    step=step,
                    due_date=today + dt.timedelta(days=rng.randint(-10, 40)),
                    user=worker,
                )
    Plan.objects.filter(household_id__in=heavy[::3]).update(review_date=today)
    Action.objects.filter(goal__plan__household_id__in=heavy[::2]).update(status="done")

    existing = count_contacts()
    wanted = max(0, contacts - existing)
    heavy_share = wanted // 5  # a fifth of all entries on the measured households
    all_households = list(Household.objects.values_list("pk", flat=True))
    workers = [worker.pk]
    kinds = ["home_visit", "phone", "street", "office", "message"]
    now = timezone.now()
    started = time.perf_counter()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            "COPY casework_contact (household_id, worker_id, kind, with_whom, note, sensitive,"
            " happened_at) FROM STDIN"
        ) as copy,
    ):
        for n in range(wanted):
            target = heavy[n % len(heavy)] if n < heavy_share else rng.choice(all_households)
            copy.write_row(
                (
                    target,
                    workers[0],
                    kinds[n % 5],
                    "",
                    "Contact",
                    n % 17 == 0,
                    now - dt.timedelta(minutes=rng.randint(60, 60 * 24 * 900)),
                )
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"contacts: {wanted:,} in {time.perf_counter() - started:.1f} s "
        f"({count_contacts():,} in all)",
        file=sys.stderr,
    )


def count_contacts() -> int:
    from buurtkracht.casework.models import Contact

    return Contact.objects.count()


def bench_worker() -> User:
    from django.db.models import Count, Q

    from buurtkracht.accounts.models import User

    worker = (
        User.objects.filter(team_memberships__position="worker")
        .annotate(led=Count("involvements", filter=Q(involvements__kind="lead")))
        .order_by("-led", "pk")
        .first()
    )
    if worker is None:
        raise SystemExit("No worker in the database: generate households first.")
    return worker


def measure(requests: int, seed: int) -> dict[str, object]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from buurtkracht.accounts.models import User
    from buurtkracht.casework.models import Contact
    from buurtkracht.households.models import Involvement

    worker = bench_worker()
    client = Client()
    client.force_login(worker)
    led = list(
        Involvement.objects.filter(worker=worker, end_date__isnull=True).values_list(
            "household_id", flat=True
        )
    )
    rng = random.Random(seed)
    results: dict[str, object] = {
        "households": _count("households.Household"),
        "contacts": Contact.objects.count(),
        "worker_caseload": len(led),
        "contacts_on_measured_households": Contact.objects.filter(household_id__in=led).count(),
    }
    # The team leader of the worker's team, for the team view (issue 18, item 7).
    leader = (
        User.objects.filter(
            team_memberships__position="team_leader",
            team_memberships__team__in=worker.team_memberships.values("team_id"),
        )
        .order_by("pk")
        .first()
    )
    leader_client = Client()
    if leader is not None:
        leader_client.force_login(leader)
    pages: dict[str, tuple[Client, Callable[[], str]]] = {
        "household page": (
            client,
            lambda: reverse("workspace:household", args=[rng.choice(led)]),
        ),
        "plan page": (client, lambda: reverse("casework:plan", args=[rng.choice(led)])),
        "Mijn werk": (client, lambda: reverse("workspace:my-work")),
    }
    if leader is not None:
        pages["team view"] = (leader_client, lambda: reverse("workspace:team-week"))
    for name, (client, url) in pages.items():
        for _ in range(5):  # warm up caches and connections
            client.get(url())
        times: list[float] = []
        queries: set[int] = set()
        for _ in range(requests):
            target = url()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(target)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (target, response.status_code)
            queries.add(len(captured.captured_queries))
        results[name] = {
            "requests": requests,
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 0.95), 1),
            "max_ms": round(max(times), 1),
            "queries": sorted(queries),
        }
    return results


def _count(label: str) -> int:
    from django.apps import apps

    count: int = apps.get_model(label).objects.count()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--contacts", type=int, default=2_000_000)
    parser.add_argument("--caseload", type=int, default=60, help="households of the worker")
    parser.add_argument("--requests", type=int, default=200, help="per page")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="measure an existing database")
    parser.add_argument(
        "--database",
        default=DATABASE,
        help="the benchmark's own database (another name when several people measure at once)",
    )
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtkracht.conf.test")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(ROOT / "src"))
    if not args.reuse:
        recreate_database(args.database)
    import django

    django.setup()
    if not args.reuse:
        build(args.households, args.contacts, args.caseload, args.seed)
    results = measure(args.requests, args.seed)
    results["measured_on"] = dt.date.today().isoformat()
    print(json.dumps(results, indent=2))
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / f"casework_pages_{args.households}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
