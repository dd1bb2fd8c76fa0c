"""`manage.py demo` builds the town whole or not at all (issue 13): a run that stops
halfway leaves the previous database, or none, never half a town; a database that an
older run left half-built is recognised, and the command says so and offers --reset."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Late in the build, after the town, casework and signals are stored.
INTERRUPT_AT = "buurtkracht.demo.generator:initiatives_demo_create"

pytestmark = pytest.mark.slow


def run(data_dir: Path, *args: str, interrupt: bool = False) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "BUURTKRACHT_ENVIRONMENT", "DEBUG"}
    }
    env.update(BUURTKRACHT_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="buurtkracht.conf.dev")
    prefix = (
        [sys.executable, "-m", "tests.interrupted_manage", INTERRUPT_AT]
        if interrupt
        else [sys.executable, "manage.py"]
    )
    return subprocess.run(
        [*prefix, "demo", "--no-serve", "--households", "20", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def town(data_dir: Path) -> tuple[int, int, int]:
    """(households, initiatives, completion mark) in the demo database."""
    with sqlite3.connect(data_dir / "buurtkracht.sqlite3") as db:
        households = db.execute("SELECT count(*) FROM households_household").fetchone()[0]
        initiatives = db.execute("SELECT count(*) FROM initiatives_initiative").fetchone()[0]
        mark = db.execute("PRAGMA user_version").fetchone()[0]
    return households, initiatives, mark


def test_an_interrupted_first_run_leaves_no_database_and_the_next_run_builds_it(
    tmp_path: Path,
) -> None:
    stopped = run(tmp_path, interrupt=True)
    assert stopped.returncode != 0
    assert not (tmp_path / "buurtkracht.sqlite3").exists()
    assert list(tmp_path.glob("*.building*")) == []
    # A process killed outright cannot clean up: the next run throws its file away.
    (tmp_path / "buurtkracht.sqlite3.building").write_bytes(b"half a town")

    again = run(tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "thrown away" in again.stdout
    households, initiatives, mark = town(tmp_path)
    assert households >= 20 and initiatives > 0 and mark != 0
    assert list(tmp_path.glob("*.building*")) == []


def test_an_interrupted_reset_keeps_the_previous_town(tmp_path: Path) -> None:
    first = run(tmp_path, "--seed", "1")
    assert first.returncode == 0, first.stdout + first.stderr
    before = town(tmp_path)

    stopped = run(tmp_path, "--reset", "--seed", "2", interrupt=True)
    assert stopped.returncode != 0
    assert town(tmp_path) == before

    second = run(tmp_path)
    assert second.returncode == 0
    assert "there already" in second.stdout


def test_a_half_built_database_from_an_older_run_is_named_and_reset_offered(
    tmp_path: Path,
) -> None:
    assert run(tmp_path).returncode == 0
    # As an older version left it: a town without the completion mark.
    with sqlite3.connect(tmp_path / "buurtkracht.sqlite3") as db:
        db.execute("PRAGMA user_version = 0")
        db.execute("DELETE FROM initiatives_initiative")

    refused = run(tmp_path)
    assert refused.returncode != 0
    assert "only part of the town" in refused.stderr
    assert "bin/demo --reset" in refused.stderr

    reset = run(tmp_path, "--reset")
    assert reset.returncode == 0, reset.stdout + reset.stderr
    households, initiatives, mark = town(tmp_path)
    assert households >= 20 and initiatives > 0 and mark != 0
