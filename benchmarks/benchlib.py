"""What every benchmark script here shares: its own PostgreSQL database, and percentiles.

The scripts run as `PYTHONPATH=src .venv/bin/python benchmarks/<name>.py`, so this module
is imported from the scripts' own folder."""

from __future__ import annotations

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
