"""Benchmark: a 20,000-row delivery taken in by background workers on PostgreSQL, once
cleanly and once with its worker killed (SIGKILL) halfway (issue 17, point 2).

Measured: the clean run's wall time from the upload's return to the job's end, the
interrupted run's wall time (including the wait for the heartbeat to age and a new worker
to resume), and whether the interrupted run ends equal to the clean one (signals, reports,
rows set aside, counts, one access-log entry). The tests prove the same on 3,000 rows
(tests/core/test_job_faults.py); this shows it at the size the issue names.

    PYTHONPATH=src .venv/bin/python benchmarks/job_resume.py
    PYTHONPATH=src .venv/bin/python benchmarks/job_resume.py --rows 20000 --households 20000
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchlib import recreate_database

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "buurtkracht_bench_jobs"
STALE_SECONDS = 10


def worker(database: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "BUURTKRACHT_JOBS_STALE_SECONDS": str(STALE_SECONDS),
        "DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{database}",
    }
    return subprocess.Popen(
        [
            *(sys.executable, "manage.py", "db_worker", "--no-reload"),
            *("--no-startup-delay", "--interval", "0.2", "-v", "0"),
        ],
        cwd=ROOT,
        env=env,
    )


def snapshot(delivery_id: int) -> dict[str, Any]:
    from buurtkracht.audit.models import AuditEvent
    from buurtkracht.signals.models import Delivery, Report, Signal

    delivery = Delivery.objects.get(pk=delivery_id)
    return {
        "counts": [
            delivery.status,
            delivery.rows_total,
            delivery.rows_valid,
            delivery.rows_rejected,
            delivery.rows_duplicate,
        ],
        "signals": sorted(
            Signal.objects.filter(delivery=delivery).values_list(
                "partner_reference", "person_id", "match_status", "report__address_key"
            )
        ),
        "reports": sorted(
            Report.objects.values_list("address_key", "month", "priority", "team_id", "multiple")
        ),
        "set_aside": sorted(delivery.rejected_rows.values_list("line", flat=True)),
        "logged": AuditEvent.objects.filter(
            object_type="signals.Delivery", object_id=str(delivery.pk), action="create"
        ).count(),
    }


def use(database: str) -> None:
    """Point this process at `database` (a copy of the generated municipality)."""
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = database


def copy_database(source: str, target: str) -> None:
    import psycopg
    from benchlib import ADMIN_URL
    from django.db import connection

    connection.close()
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {target}")
        conn.execute(f"CREATE DATABASE {target} TEMPLATE {source}")


def deliver(data: bytes) -> tuple[int, int]:
    from buurtkracht.core.models import Organisation
    from buurtkracht.signals.services import delivery_submit_file

    organisation, _ = Organisation.objects.get_or_create(
        name="Benchmark Woonstichting",
        defaults={"kind": "housing_corporation", "municipality_id": 1},
    )
    outcome = delivery_submit_file(organisation=organisation, data=data, filename="bench.csv")
    assert outcome.job is not None
    return outcome.delivery.pk, outcome.job.pk


def wait_done(job_id: int, until: float = 0.0) -> dict[str, Any]:
    from buurtkracht.core.models import Job

    while True:
        job = Job.objects.get(pk=job_id)
        if job.finished or (until and job.total and job.done >= until * job.total):
            return {"state": job.state, "done": job.done, "attempts": job.attempts}
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--step", type=int, default=1000, help="rows per committed step")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{DATABASE}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "buurtkracht.conf.dev"
    os.environ["BUURTKRACHT_SIGNALS_BATCH_SIZE"] = str(args.step)
    sys.path.insert(0, str(ROOT / "src"))
    recreate_database(DATABASE)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from buurtkracht.demo.generator import generate_municipality

    generate_municipality(seed=1, households=args.households)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    from signals_throughput import partner_file

    data = partner_file(args.rows, 7, "J", unknown_addresses=0.1)

    # The clean run and the interrupted one each on a copy of the same municipality (the
    # demo's own reports of earlier months are part of what a delivery meets).
    clean_db, killed_db = f"{DATABASE}_clean", f"{DATABASE}_killed"
    copy_database(DATABASE, clean_db)
    copy_database(DATABASE, killed_db)

    use(clean_db)
    first = worker(clean_db)
    started = time.perf_counter()
    delivery_id, job_id = deliver(data)
    clean_job = wait_done(job_id)
    clean_seconds = time.perf_counter() - started
    clean = snapshot(delivery_id)
    first.kill()
    first.wait()

    use(killed_db)
    second = worker(killed_db)
    started = time.perf_counter()
    delivery_id, job_id = deliver(data)
    at_kill = wait_done(job_id, until=0.5)
    os.kill(second.pid, signal.SIGKILL)
    second.wait()
    third = worker(killed_db)
    resumed_job = wait_done(job_id)
    interrupted_seconds = time.perf_counter() - started
    third.kill()
    third.wait()
    interrupted = snapshot(delivery_id)
    differs = [key for key in clean if clean[key] != interrupted[key]]

    print(
        json.dumps(
            {
                "rows": args.rows,
                "households": args.households,
                "step": args.step,
                "load_average": os.getloadavg(),
                "clean": {"seconds": round(clean_seconds, 1), **clean_job},
                "killed_at_rows": at_kill["done"],
                "interrupted": {
                    "seconds": round(interrupted_seconds, 1),
                    "stale_after_seconds": STALE_SECONDS,
                    **resumed_job,
                },
                "counts": interrupted["counts"],
                "equal_to_clean_run": not differs,
                "differs_in": differs,
                "logged_once": interrupted["logged"] == 1,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
