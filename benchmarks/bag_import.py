"""Benchmark: importing N BAG addresses (docs/register.md) on a fresh SQLite database.

Writes a CSV of N synthetic nummeraanduidingen (default 100,000) over 40 neighbourhoods,
half placed by buurtcode and half by the postcode table, and times three runs of the
service (reading the file included): the first import (all new), the same file again
(nothing changes) and a file with 5% changed (street renamed, some postcodes moved) and
1% withdrawn. The goal (issue 16): well under a minute for 100,000 rows on SQLite.

    PYTHONPATH=src .venv/bin/python benchmarks/bag_import.py
    PYTHONPATH=src .venv/bin/python benchmarks/bag_import.py --rows 20000
    DATABASE_URL=postgres://... PYTHONPATH=src .venv/bin/python benchmarks/bag_import.py
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _lines(rows: int, *, changed: bool) -> list[str]:
    lines = [
        "nummeraanduiding_id;postcode;huisnummer;huisletter;huisnummertoevoeging;"
        "openbare_ruimte;woonplaats;buurtcode;status"
    ]
    for n in range(rows):
        door, number = divmod(n, 25)
        postcode = f"{9000 + door // 26 % 1000}{chr(65 + door % 26)}B"
        street = f"Straat {door % 500}"
        status = "Naamgeving uitgegeven"
        if changed and n % 20 == 0:
            street += " (hernoemd)"
        if changed and n % 100 == 1:
            status = "Naamgeving ingetrokken"
        code = f"BU999001{door % 40:02d}" if n % 2 else ""
        lines.append(
            f"{9990200000000000 + n};{postcode};{number + 1};;;{street};Lindenhoven;{code};{status}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="bag-bench-")
    os.environ.setdefault("BUURTKRACHT_DATA_DIR", data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtkracht.conf.dev")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from buurtkracht.core.bag import address_file_read
    from buurtkracht.core.models import Area, Municipality, PostcodeRange
    from buurtkracht.households.bag_import import addresses_import

    call_command("migrate", verbosity=0)
    municipality = Municipality.objects.create(name="Bench", cbs_code="GM9990")
    district = Area.objects.create(
        municipality=municipality, kind="district", cbs_code="WK999001", name="Wijk"
    )
    for i in range(40):
        buurt = Area.objects.create(
            municipality=municipality,
            kind="neighbourhood",
            cbs_code=f"BU999001{i:02d}",
            name=f"Buurt {i}",
            parent=district,
        )
        low, high = 9000 + i * 25, 9000 + i * 25 + 24
        PostcodeRange.objects.create(
            neighbourhood=buurt, postcode_from=f"{low}AA", postcode_to=f"{high}ZZ"
        )
    print(f"{args.rows:,} rows on {connection.vendor}")
    for label, changed in (("first import", False), ("same file", False), ("changes", True)):
        data = "\n".join(_lines(args.rows, changed=changed)).encode()
        start = time.perf_counter()
        rows, errors = address_file_read(data)
        outcome = addresses_import(rows, errors=errors, source="bench.csv")
        seconds = time.perf_counter() - start
        print(f"{label:>13}: {seconds:6.1f} s  {outcome.counts()}")


if __name__ == "__main__":
    main()
