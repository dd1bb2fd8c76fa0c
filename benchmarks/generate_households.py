"""Benchmark: generate N households of the synthetic municipality on SQLite and PostgreSQL.

Each database starts empty: SQLite in a fresh temporary directory (BUURTKRACHT_DATA_DIR),
PostgreSQL in a database this script creates and drops (`buurtkracht_bench`). Migrations
run in their own process first; only the generation is measured, in a process of its
own, so its wall time and peak memory (ru_maxrss of that one child, from os.wait4) are not
mixed up with migrate's. Both use the development settings the demo uses.

Run from the repository root:

    PYTHONPATH=src /tmp/venvtest/bin/python benchmarks/generate_households.py
    PYTHONPATH=src python benchmarks/generate_households.py --households 500000 --database sqlite

Results go to stdout as a Markdown table and to benchmarks/results/ as JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
BENCH_DATABASE = "buurtkracht_bench"


@dataclass
class Measurement:
    database: str
    households: int
    persons: int
    migrate_seconds: float
    wall_seconds: float  # the generation process, from start to exit
    generator_seconds: float  # as reported by the generator itself (no Django start-up)
    peak_rss_mib: float
    households_per_second: float  # households / wall_seconds


def run_measured(command: list[str], env: dict[str, str]) -> tuple[str, float, float]:
    """Run a child process; return its output, wall time and peak resident memory in MiB."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err, text=True)
        # wait4 reaps this one child and returns its own resource usage; RUSAGE_CHILDREN
        # would give the maximum over every child so far (migrate included).
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr}")
    # ru_maxrss is in KiB on Linux.
    return stdout, seconds, usage.ru_maxrss / 1024


def child_env(database: str, data_dir: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "BUURTKRACHT_ENVIRONMENT", "DEBUG", "BUURTKRACHT_DATA_DIR"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "buurtkracht.conf.dev"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    if database == "sqlite":
        assert data_dir is not None
        env["BUURTKRACHT_DATA_DIR"] = data_dir
    else:
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{BENCH_DATABASE}"
    return env


def postgres_admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(statement)


def measure(database: str, households: int, batch_size: int, seed: int) -> Measurement:
    manage = [sys.executable, "manage.py"]
    with tempfile.TemporaryDirectory(prefix="buurtkracht-bench-") as data_dir:
        if database == "postgres":
            postgres_admin(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
            postgres_admin(f"CREATE DATABASE {BENCH_DATABASE}")
        env = child_env(database, data_dir)
        try:
            _, migrate_seconds, _ = run_measured([*manage, "migrate", "--verbosity", "0"], env)
            output, wall, peak = run_measured(
                [
                    *manage,
                    "generate_municipality",
                    "--households",
                    str(households),
                    "--batch-size",
                    str(batch_size),
                    "--seed",
                    str(seed),
                    "--no-progress",
                ],
                env,
            )
        finally:
            if database == "postgres":
                postgres_admin(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
    # The summary line, in Dutch or English: "Lindenhoven (GM9901): 100.000 huishoudens en
    # 212.345 bewoners in 81.2 s."
    numbers = re.search(r"GM9901\): ([\d,.]+) \D+ ([\d,.]+) \D+ ([\d.]+) s", output)
    if numbers is None:
        raise SystemExit(f"Unexpected output of generate_municipality:\n{output}")
    persons = int(re.sub(r"\D", "", numbers.group(2)))
    return Measurement(
        database=database,
        households=households,
        persons=persons,
        migrate_seconds=round(migrate_seconds, 1),
        wall_seconds=round(wall, 1),
        generator_seconds=float(numbers.group(3)),
        peak_rss_mib=round(peak, 1),
        households_per_second=round(households / wall),
    )


def table(results: list[Measurement]) -> str:
    lines = [
        "| database | households | persons | generation wall time | generator's own time "
        "| peak memory | households/s | (migrate) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.database} | {r.households:,} | {r.persons:,} | {r.wall_seconds:.1f} s "
            f"| {r.generator_seconds:.1f} s | {r.peak_rss_mib:.0f} MiB "
            f"| {r.households_per_second:,} | {r.migrate_seconds:.1f} s |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgres"),
        action="append",
        help="Which database(s); both when not given.",
    )
    args = parser.parse_args()
    results = []
    for database in args.database or ["sqlite", "postgres"]:
        print(f"{database}: generating {args.households:,} households…", file=sys.stderr)
        result = measure(database, args.households, args.batch_size, args.seed)
        print(f"  {asdict(result)}", file=sys.stderr)
        results.append(result)
    print(table(results))
    out_dir = ROOT / "benchmarks" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = out_dir / f"generate_households-{args.households}-{stamp}.json"
    path.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
    print(f"\nSaved to {path.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
