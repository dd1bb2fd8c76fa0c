"""Benchmark: importing a register extract (BRP, docs/register.md) on PostgreSQL.

Builds a municipality of N households (default 500,000, about 1.07 million persons) in
its own database `bench_brp`: the addresses (with BAG ids, 10% spare for moves) are
written directly, not measured. Writes a JSON Lines extract of all residents and times,
each in a process of its own (`manage.py import_brp_extract`, wall time and peak memory
from `os.wait4`):

1. the first import (all new: persons, register entries, households, memberships);
2. the same extract again (nothing changes);
3. a later extract with 2% of the persons changed: moves (1%), births (0.25%), deaths
   (0.25%), name changes (0.25%) and departures (0.25%);

each later extract 2% changed from the one before (`--later`, default 3: the median is
reported), then the last one again.
Targets (issue 16): first import ≤ 10 min, the later extract ≤ 1 min.

    PYTHONPATH=src .venv/bin/python benchmarks/brp_import.py
    PYTHONPATH=src .venv/bin/python benchmarks/brp_import.py --households 20000 --later 1
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
DATABASE = "bench_brp"
GEMEENTE = "9990"


def bsn(n: int) -> str:
    """The n-th number that passes the eleven test (none start with 0 here)."""
    for last in range(10):
        digits = f"{100_000_00 + n:08d}{last}"
        total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
        if (total - last) % 11 == 0:
            return digits
    return bsn(n + 50_000_000)  # a number without a check digit: take one far away


def bag_id(n: int) -> str:
    return f"{9990200000000000 + n}"


GIVEN = ["Jan", "Fatma", "Sem", "Noor", "Priya", "Kees", "Zoë", "Mohamed", "Anna", "Daan"]
SURNAMES = ["Berg", "Jansen", "Yılmaz", "Bakker", "Visser", "El Amrani", "Smit", "Kok"]
PREFIXES = ["", "", "", "van", "de", "van der"]


def _household(rng: random.Random, h: int, counter: list[int]) -> list[dict[str, Any]]:
    """The residents of household h: single (40%), couple (30%), couple with children
    (25%), single parent (5%) — about 2.14 persons a household."""
    kind = rng.random()
    adults = 1 if kind < 0.40 or kind >= 0.95 else 2
    children = 0 if kind < 0.70 else rng.choice((1, 2, 2, 3, 3))
    surname, prefix = rng.choice(SURNAMES), rng.choice(PREFIXES)
    since = f"{rng.randint(1990, 2022)}-{rng.randint(1, 12):02d}-01"
    people: list[dict[str, Any]] = []
    for i in range(adults + children):
        counter[0] += 1
        born = (
            f"{rng.randint(1940, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            if i < adults
            else f"{rng.randint(2005, 2022)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        )
        people.append(
            {
                "burgerservicenummer": bsn(counter[0]),
                "naam": {
                    "voornamen": rng.choice(GIVEN),
                    "voorvoegsel": prefix,
                    "geslachtsnaam": surname if i != 1 else rng.choice(SURNAMES),
                    "aanduidingNaamgebruik": {"code": "E"},
                },
                "geboorte": {"datum": {"datum": born}},
                "verblijfplaats": {
                    "nummeraanduidingIdentificatie": bag_id(h),
                    "datumAanvangAdreshouding": {"datum": max(since, born)},
                },
            }
        )
    parents = [p["burgerservicenummer"] for p in people[:adults]]
    kids = [p["burgerservicenummer"] for p in people[adults:]]
    if adults == 2:
        people[0]["partners"] = [{"burgerservicenummer": parents[1]}]
        people[1]["partners"] = [{"burgerservicenummer": parents[0]}]
    for p in people[:adults]:
        if kids:
            p["kinderen"] = [{"burgerservicenummer": k} for k in kids]
    for p in people[adults:]:
        p["ouders"] = [{"burgerservicenummer": b} for b in parents]
    return people


def extract(households: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    counter = [0]
    persons: list[dict[str, Any]] = []
    for h in range(households):
        persons += _household(rng, h, counter)
    return persons


def changed(
    persons: list[dict[str, Any]], households: int, seed: int, round_: int
) -> list[dict[str, Any]]:
    """The next extract: 2% of the residents changed since `persons`."""
    rng = random.Random(seed + round_)
    later = list(persons)  # the persons that change are copied below
    spare = range(households, households + households // 10)
    counter = [len(persons) + 1_000_000 * round_]
    living = [
        i
        for i, p in enumerate(later)
        if "overlijden" not in p and "verblijfBuitenland" not in p["verblijfplaats"]
    ]
    picks = rng.sample(living, k=len(later) * 2 // 100)
    eighth = len(picks) // 8
    day = f"2026-{round_ + 3:02d}"
    for n, index in enumerate(picks):
        person = later[index] = json.loads(json.dumps(later[index]))
        if n < 4 * eighth:  # 1%: moves to a spare address
            person["verblijfplaats"] = {
                "nummeraanduidingIdentificatie": bag_id(rng.choice(spare)),
                "datumAanvangAdreshouding": {"datum": f"{day}-15"},
            }
        elif n < 5 * eighth:  # births
            counter[0] += 1
            later.append(
                {
                    "burgerservicenummer": bsn(counter[0]),
                    "naam": {"voornamen": "Lina", "geslachtsnaam": person["naam"]["geslachtsnaam"]},
                    "geboorte": {"datum": {"datum": f"{day}-14"}},
                    "verblijfplaats": {
                        **person["verblijfplaats"],
                        "datumAanvangAdreshouding": {"datum": f"{day}-14"},
                    },
                    "ouders": [{"burgerservicenummer": person["burgerservicenummer"]}],
                }
            )
        elif n < 6 * eighth:
            person["overlijden"] = {"datum": {"datum": f"{day}-03"}}
        elif n < 7 * eighth:
            person["naam"]["geslachtsnaam"] += "-Smit"
        else:
            person["verblijfplaats"] = {
                "verblijfBuitenland": {"land": {"omschrijving": "België"}},
                "datumAanvangAdresBuitenland": {"datum": f"{day}-01"},
            }
    return later


def write(path: Path, persons: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for person in persons:
            out.write(json.dumps(person, ensure_ascii=False, separators=(",", ":")) + "\n")


def env() -> dict[str, str]:
    values = dict(os.environ)
    values["DJANGO_SETTINGS_MODULE"] = "buurtkracht.conf.dev"
    values["DEBUG"] = "0"  # as in production: no query log kept in memory
    values["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
    values["PYTHONPATH"] = str(ROOT / "src")
    return values


def run(command: list[str]) -> tuple[str, float, float]:
    """Output, wall seconds and peak memory (MiB) of one child process."""
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env(), stdout=out, stderr=out, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        text = out.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command} failed:\n{text}")
    return text, seconds, usage.ru_maxrss / 1024


SETUP = """
import django; django.setup()
from buurtkracht.core.models import Address, Area, Municipality
m = Municipality.objects.create(name="Bench", cbs_code="GM{gemeente}")
d = Area.objects.create(municipality=m, kind="district", cbs_code="WK{gemeente}01", name="W")
areas = [Area.objects.create(municipality=m, kind="neighbourhood", parent=d,
         cbs_code=f"BU{gemeente}01{{i:02d}}", name=f"B{{i}}") for i in range(40)]
rows = []
for n in range({addresses}):
    door, number = divmod(n, 50)
    rows.append(Address(bag_id=f"{{9990200000000000 + n}}", street=f"Straat {{door % 500}}",
        postcode=f"{{1000 + door // 26 % 9000}}{{chr(65 + door % 26)}}B", house_number=number + 1,
        town="Bench", neighbourhood=areas[door % 40]))
Address.objects.bulk_create(rows, batch_size=5000)
"""


def write_extracts(folder: Path, households: int, later: int, seed: int) -> None:
    persons = extract(households, seed)
    write(folder / "extract-0.jsonl", persons)
    print(f"{households:,} households, {len(persons):,} persons", flush=True)
    for round_ in range(1, later + 1):
        persons = changed(persons, households, seed, round_)
        write(folder / f"extract-{round_}.jsonl", persons)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=500_000)
    parser.add_argument("--later", type=int, default=3, help="How many later extracts.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write-to", help=argparse.SUPPRESS)
    args = parser.parse_args()
    from benchlib import recreate_database

    if args.write_to:
        write_extracts(Path(args.write_to), args.households, args.later, args.seed)
        return
    with tempfile.TemporaryDirectory(prefix="brp-bench-") as tmp:
        folder = Path(tmp)
        # In a process of its own: a child forked from a process holding the extracts
        # would inherit its peak memory (ru_maxrss survives fork and exec).
        subprocess.run(
            [sys.executable, __file__, *sys.argv[1:], "--write-to", str(folder)], check=True
        )
        recreate_database(DATABASE)
        python = sys.executable
        run([python, "manage.py", "migrate", "--verbosity", "0"])
        run([python, "-c", SETUP.format(gemeente=GEMEENTE, addresses=args.households * 11 // 10)])
        runs = [("first import", 0), ("same extract", 0)]
        runs += [(f"2% changed #{n}", n) for n in range(1, args.later + 1)]
        runs += [("same again", args.later)]
        results: dict[str, tuple[float, float]] = {}
        for label, number in runs:
            load = os.getloadavg()[0]
            path = folder / f"extract-{number}.jsonl"
            command = [python, "manage.py", "import_brp_extract", str(path), "--no-progress"]
            text, seconds, peak = run(command)
            results[label] = (seconds, peak)
            summary = " ".join(text.split("\n")[:2])
            print(
                f"{label:>16}: {seconds:6.1f} s  peak {peak:5.0f} MiB  load {load:4.1f}  {summary}"
            )
    changes = [results[f"2% changed #{n}"] for n in range(1, args.later + 1)]
    print(
        f"\nmedian of {args.later} later extracts: "
        f"{statistics.median(c[0] for c in changes):.1f} s, "
        f"peak {statistics.median(c[1] for c in changes):.0f} MiB"
    )
    print(f"load average now: {os.getloadavg()}")


if __name__ == "__main__":
    main()
