"""`core.bulk` on PostgreSQL: a connection lost during COPY is Django's error to the
caller, as for every other statement, so that a background job is queued again rather
than failed (`core.jobs.job_run`, tests/core/test_job_faults.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from buurtkracht.core import bulk
from buurtkracht.core.models import Organisation

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
    pytest.mark.django_db,
]


@pytest.fixture
def cut_connection(monkeypatch: pytest.MonkeyPatch) -> Iterator[BaseDatabaseWrapper]:
    """A connection of its own for `core.bulk`, which the server then terminates (what a
    PostgreSQL restart does to a worker's connection)."""
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    side.ensure_connection()
    with side.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    monkeypatch.setattr(bulk, "connection", side)
    yield side
    side.close()


def test_a_connection_lost_during_copy_is_djangos_error(
    cut_connection: BaseDatabaseWrapper,
) -> None:
    with pytest.raises((OperationalError, InterfaceError)):
        bulk.insert_rows(Organisation, ["name"], [["Kredietbank"], ["Bibliotheek"]])


def test_a_connection_lost_during_an_update_through_copy_is_djangos_error(
    cut_connection: BaseDatabaseWrapper,
) -> None:
    with pytest.raises((OperationalError, InterfaceError)):
        bulk.update_rows(Organisation, ["name"], [[1, "Kredietbank"]])
