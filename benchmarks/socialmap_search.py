"""Benchmark: server time of the social-map search page over 20,000 entries, on PostgreSQL.

Creates its own database (`buurtkracht_bench_socialmap`), a few districts and
neighbourhoods, and N synthetic entries (default 20,000) built from Dutch phrases, with
their search documents and the Dutch tsvector filled in bulk. Then requests the search
page in-process through Django's test client (full middleware and template rendering,
test settings with debug off) as a worker, over realistic Dutch queries with and without
filters, and reports the median and 95th percentile of the server time.

    PYTHONPATH=src .venv/bin/python benchmarks/socialmap_search.py
    PYTHONPATH=src .venv/bin/python benchmarks/socialmap_search.py --entries 5000 --reuse
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
import uuid
from pathlib import Path
from typing import Any

from benchlib import percentile, recreate_database

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "buurtkracht_bench_socialmap"

WHAT = (
    "schuldhulp",
    "budgetcursus",
    "voedselbank",
    "taalcafé",
    "koffieochtend",
    "wandelclub",
    "moestuin",
    "repair café",
    "inloop",
    "lotgenotengroep",
    "mantelzorg",
    "opvoedsteun",
    "jongerenwerk",
    "buurtkamer",
    "maatjesproject",
    "thuisadministratie",
    "rouwgroep",
    "computerles",
    "naaiatelier",
    "klussendienst",
)
PHRASES = (
    "hulp bij schulden en betalingsregelingen",
    "samen koken en eten",
    "Nederlands oefenen",
    "een luisterend oor",
    "hulp bij formulieren en post",
    "bewegen voor ouderen",
    "contact met buurtgenoten",
    "ondersteuning bij psychische klachten",
    "hulp bij opvoeden",
    "vrijwilligerswerk vinden",
    "kleding en spullen ruilen",
    "hulp voor mantelzorgers",
    "praten over verlies en rouw",
    "werk en dagbesteding",
)
QUERIES: tuple[tuple[str, dict[str, str]], ...] = (
    ("schulden", {}),
    ("schuldhulp", {"open_access": "on"}),
    ("taalcafe", {}),
    ("koffie", {"informal": "on"}),
    ("wandelen ouderen", {}),
    ("", {"domain": "finances"}),
    ("rouw", {"domain": "mental_health"}),
    ("hulp formulieren", {"open_access": "on"}),
    ("mantelzorg", {"area": "NEIGHBOURHOOD"}),
    ("", {"informal": "on", "area": "NEIGHBOURHOOD"}),
    ("voedsel", {}),
    ("psychische klachten", {"open_access": "on", "informal": "on"}),
)


def build(entries: int, seed: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from buurtkracht.casework.models import LifeDomain
    from buurtkracht.core.models import Area, Municipality
    from buurtkracht.core.names import fold
    from buurtkracht.socialmap.models import Provider, Resource
    from buurtkracht.socialmap.search import search_vectors_refresh

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    municipality = Municipality.objects.create(name="Lindenhoven", cbs_code="GM9901")
    neighbourhoods = []
    for d in range(1, 5):
        district = Area.objects.create(
            municipality=municipality, kind="district", cbs_code=f"WK99010{d}", name=f"Wijk {d}"
        )
        for n in range(1, 6):
            neighbourhoods.append(
                Area.objects.create(
                    municipality=municipality,
                    kind="neighbourhood",
                    cbs_code=f"BU99010{d}0{n}",
                    name=f"Buurt {d}-{n}",
                    parent=district,
                )
            )
    rng = random.Random(seed)
    providers = Provider.objects.bulk_create([Provider(name=f"Aanbieder {i}") for i in range(2000)])
    domains = list(LifeDomain.values)
    today = dt.date.today()
    batch: list[Resource] = []
    links: list[Any] = []
    through = Resource.neighbourhoods.through
    for i in range(entries):
        name = f"{rng.choice(WHAT).capitalize()} {i}"
        description = ", ".join(rng.sample(PHRASES, 2))
        chosen = rng.sample(domains, rng.randint(1, 3))
        provider = rng.choice(providers)
        resource = Resource(
            id=uuid.UUID(int=rng.getrandbits(128)),
            provider=provider,
            name=name,
            description=description,
            kind=rng.choice(Resource.Kind.values),
            informal=rng.random() < 0.4,
            access=rng.choice(Resource.Access.values),
            life_domains=chosen,
            verified_on=today - dt.timedelta(days=rng.randint(0, 800)),
            whole_municipality=rng.random() < 0.3,
            search_title=f" {fold(name)} ",
            search_text=f" {fold(description + ' ' + provider.name)} ",
            search_domains=" " + " ".join(chosen) + " ",
        )
        batch.append(resource)
        if not resource.whole_municipality:
            for area in rng.sample(neighbourhoods, rng.randint(1, 3)):
                links.append(through(resource_id=resource.id, area_id=area.pk))
    Resource.objects.bulk_create(batch, batch_size=2000)
    through.objects.bulk_create(links, batch_size=5000)
    search_vectors_refresh(Resource.objects.all())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built {entries} entries: {time.perf_counter() - started:.1f} s", file=sys.stderr)


def measure(requests: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from buurtkracht.accounts.models import Role, RoleGrant, User
    from buurtkracht.core.models import Area

    worker, created = User.objects.get_or_create(username="bench-worker")
    if created:
        RoleGrant.objects.create(user=worker, role=Role.WORKER)
    client = Client()
    client.force_login(worker)
    area = Area.objects.filter(kind="neighbourhood").order_by("cbs_code").first()
    assert area is not None
    timings: list[float] = []
    queries: list[int] = []
    per_query: dict[str, list[float]] = {}
    for round_ in range(requests):
        text, extra = QUERIES[round_ % len(QUERIES)]
        params = {k: (str(area.pk) if v == "NEIGHBOURHOOD" else v) for k, v in extra.items()}
        if text:
            params["q"] = text
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get("/sociale-kaart/", params)
            elapsed = (time.perf_counter() - started) * 1000
            timings.append(elapsed)
            per_query.setdefault(f"{text or '—'} {sorted(extra)}", []).append(elapsed)
        assert response.status_code == 200, response.status_code
        queries.append(len(ctx.captured_queries))
    return {
        "requests": requests,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "max_queries_per_request": max(queries),
        "median_ms_per_query": {
            key: round(statistics.median(values), 1) for key, values in per_query.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=240)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="measure an existing database")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtkracht.conf.test")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(ROOT / "src"))
    if not args.reuse:
        recreate_database(DATABASE)
    import django

    django.setup()
    if not args.reuse:
        build(args.entries, args.seed)
    # Warm-up: the first requests fill caches (templates, translations, connection).
    measure(12)
    results = measure(args.requests)
    results["entries"] = args.entries
    results["measured_on"] = dt.date.today().isoformat()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
