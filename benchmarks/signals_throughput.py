"""Benchmark: a month of signals taken in end to end on PostgreSQL.

A national month (75,000 signals) against a municipality of 500,000 households, and a city
month (4,000): each delivered as a partner's CSV file through the same service the upload
page uses (`delivery_receive_file`), which reads and validates every row, matches it to a
resident and address, bundles the signals per address and month into reports, sets each
report's priority by the rules, routes it to the team of its neighbourhood and writes one
audit entry. Measured: the wall time of that call, and the signals per second.

The municipality is generated once into the database `buurtkracht_bench_signals` (about
four minutes for 500,000 households); `--reuse` measures again on it. Each run's signals
get fresh references, so a rerun measures new signals rather than "delivered before".

    PYTHONPATH=src .venv/bin/python benchmarks/signals_throughput.py
    PYTHONPATH=src .venv/bin/python benchmarks/signals_throughput.py --reuse
    PYTHONPATH=src .venv/bin/python benchmarks/signals_throughput.py --households 20000 \\
        --sizes 4000
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

from benchlib import recreate_database

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "buurtkracht_bench_signals"
PARTNERS = [
    ("Woonstichting Lindenhoven", "housing", 0.45),
    ("Energie Direct Noord", "energy", 0.30),
    ("Waterbedrijf Vecht en Linde", "water", 0.10),
    ("Zorgverzekeraar Samen", "health_insurer", 0.15),
]


def partner_file(
    size: int, seed: int, run: str, month_back: int = 0, unknown_addresses: float = 0.0
) -> bytes:
    """A partner CSV of `size` signals about residents (10% about nobody known), written
    as partners write them: Dutch headers, semicolons, dd-mm-jjjj, € amounts, a BOM.
    A share `unknown_addresses` of the rows is moved to a house number the register does
    not hold (same postcode, number + 20,000): those reports are placed by the postcode
    table, the path a delivery takes when the register is incomplete."""
    from buurtkracht.demo.signal_eval import as_partner_row, build_evaluation_set

    rng = random.Random(seed)
    rows = build_evaluation_set(seed=seed, size=size)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    header = [
        "Kenmerk",
        "Signaaldatum",
        "Achternaam",
        "Tussenvoegsel",
        "Voorletters",
        "Voornamen",
        "Geboortedatum",
        "Straat",
        "Postcode",
        "Huisnummer",
        "Woonplaats",
        "Bedrag achterstand",
        "Aantal termijnen",
        "Einddatum levering",
    ]
    writer.writerow(header)
    # Each measured delivery gets a month of its own, so it meets no reports of an earlier
    # run (a new month's delivery, as in practice) while earlier months count as history.
    today = dt.date.today()
    index = today.year * 12 + today.month - 1 - month_back
    month_end = dt.date(index // 12, index % 12 + 1, 1) + dt.timedelta(days=27)
    today = min(today, month_end)
    # One housing corporation's file: the partner kind comes from the organisation. A share
    # of rows carries an end-of-supply date, as an energy supplier's would.
    for n, signal in enumerate(rows):
        row = as_partner_row(signal)
        if rng.random() < unknown_addresses:
            number = str(row["huisnummer"])
            digits = len(number) - len(number.lstrip("0123456789"))
            row["huisnummer"] = f"{int(number[:digits]) + 20_000}{number[digits:]}"
        kind = "energy" if rng.random() < 0.3 else "housing"
        amount = rng.randint(150, 4000) + rng.randint(0, 99) / 100
        writer.writerow(
            [
                f"{run}-{n}",
                (today - dt.timedelta(days=rng.randint(0, 27))).strftime("%d-%m-%Y"),
                row["achternaam"],
                row["tussenvoegsel"],
                row["voorletters"],
                row["voornamen"],
                row["geboortedatum"],
                "Lindenstraat",
                row["postcode"],
                row["huisnummer"],
                "Lindenhoven",
                f"€ {amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", "."),
                rng.randint(1, 6),
                (today + dt.timedelta(days=rng.randint(10, 60))).strftime("%d-%m-%Y")
                if kind == "energy"
                else "",
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def measure(size: int, seed: int, unknown_addresses: float) -> dict[str, Any]:
    from buurtkracht.core.models import Organisation
    from buurtkracht.signals.models import Delivery, Report
    from buurtkracht.signals.services import delivery_receive_file

    organisation, _ = Organisation.objects.get_or_create(
        name="Benchmark Woonstichting",
        defaults={"kind": "housing_corporation", "municipality_id": 1},
    )
    run = f"B{int(time.time())}-{size}-{unknown_addresses}"
    month_back = Delivery.objects.filter(organisation=organisation).count()
    started = time.perf_counter()
    data = partner_file(size, seed + size, run, month_back, unknown_addresses)
    prepared = time.perf_counter() - started
    reports_before = Report.objects.count()
    started = time.perf_counter()
    outcome = delivery_receive_file(organisation=organisation, data=data, filename=f"{run}.csv")
    seconds = time.perf_counter() - started
    delivery = outcome.delivery
    matched = delivery.signals.exclude(match_status="no_match").count()
    return {
        "signals": size,
        "unknown_addresses": unknown_addresses,
        "file_mib": round(len(data) / 2**20, 1),
        "seconds": round(seconds, 1),
        "signals_per_second": round(size / seconds),
        "taken_in": delivery.rows_valid,
        "set_aside": delivery.rows_rejected,
        "matched_or_review": matched,
        "new_reports": Report.objects.count() - reports_before,
        "routed": delivery.signals.filter(report__team__isnull=False).count(),
        "preparing_file_seconds": round(prepared, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=500_000)
    parser.add_argument("--sizes", type=int, nargs="+", default=[4000, 75_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument(
        "--unknown-addresses",
        type=float,
        nargs="+",
        default=[0.0, 1.0],
        help="shares of rows at addresses the register does not hold, each measured",
    )
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtkracht.conf.test")
    sys.path.insert(0, str(ROOT / "src"))
    if not args.reuse:
        recreate_database(DATABASE)
    import django

    django.setup()
    from django.core.management import call_command

    if not args.reuse:
        call_command("migrate", verbosity=0)
        from buurtkracht.demo.generator import generate_municipality

        started = time.perf_counter()
        generate_municipality(seed=args.seed, households=args.households)
        print(f"municipality: {time.perf_counter() - started:.0f} s", file=sys.stderr)
        # Fresh statistics, as autovacuum gives a database in use; without them the planner
        # thinks the register is empty and scans it whole.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    from buurtkracht.households.models import Household

    results: dict[str, Any] = {
        "households": Household.objects.count(),
        "measured_on": dt.date.today().isoformat(),
        "runs": [
            measure(size, args.seed, share)
            for size in args.sizes
            for share in args.unknown_addresses
        ],
    }
    print(json.dumps(results, indent=2))
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / f"signals_throughput_{args.households}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
