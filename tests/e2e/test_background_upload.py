"""A partner delivers a file in the browser and watches it being taken in by the
background worker, step by step, to the end (issue 17: a national file without a
timeout; here a smaller one in small steps), with the accessibility scan on a phone."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.db import connection, connections
from django.test import override_settings
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect

from buurtkracht.core.models import Job
from buurtkracht.signals.models import Delivery
from buurtkracht.signals.services import batches, deliveries
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.test_signals import _file
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.needs_postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker beside the live server needs its own connection, which the "
        "in-memory SQLite test database does not give (CI runs this on PostgreSQL)",
    ),
]

ROWS = 240


@pytest.fixture
def worker() -> Iterator[None]:
    """A db_worker in a thread of the test process (it shares the test database), taking
    in 20 rows per step, each step a little slow, so the page has progress to show."""
    real = batches._take_in_batch

    def slow(*args: Any, **kwargs: Any) -> set[int]:
        threading.Event().wait(0.15)
        return real(*args, **kwargs)

    runner = Worker(
        queue_names=["default"],
        interval=0.1,
        batch=False,
        backend_name="database",
        startup_delay=False,
        max_tasks=None,
        worker_id="browser-test",
        excluded_queue_names=[],
    )

    def run() -> None:
        try:
            runner.run()
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=run, daemon=True)
    with (
        override_settings(JOBS_BACKEND="database"),
        mock.patch.object(deliveries, "BATCH_SIZE", 20),
        mock.patch.object(deliveries, "_take_in_batch", slow),
    ):
        thread.start()
        yield
        runner.running = False
        thread.join(timeout=10)


def test_a_partner_watches_a_delivery_progress_to_the_end(
    phone_page: Any, live_server: Any, personas: Personas, tmp_path: Path, worker: None
) -> None:
    rows = [{"ref": f"W-{i}"} for i in range(ROWS)]
    rows[7]["postcode"] = "12AB"  # one row to set aside
    path = _file(tmp_path, personas, *rows)
    login(phone_page, live_server, "partner", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(f"{live_server.url}/signalen/aanleveren/")
    phone_page.get_by_label("Bestand met signalen").set_input_files(str(path))
    phone_page.get_by_role("button", name="Aanleveren").click()
    # The request returns at once: the delivery's page shows the progress of the job.
    progress = phone_page.get_by_label("Signalen verwerken")
    expect(progress).to_be_visible()
    expect(phone_page.get_by_role("status")).to_contain_text(f"van {ROWS}")
    assert_accessible(phone_page)
    # It updates itself, and the page shows the result when the job is done.
    expect(phone_page.locator("body")).to_contain_text("1 regel om te verbeteren", timeout=60_000)
    expect(progress).to_have_count(0)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.rows_valid, delivery.rows_rejected) == ("done", ROWS - 1, 1)
    job = Job.objects.get(object_id=delivery.pk)
    assert job.state == "done" and job.done == ROWS
    assert_accessible(phone_page)
    # The job's own page, for the partner who started it.
    phone_page.goto(f"{live_server.url}/taken/{job.pk}/")
    expect(phone_page.get_by_role("status")).to_contain_text(f"Klaar: {ROWS} van {ROWS}")
    expect(phone_page.get_by_role("link", name="Bekijk het resultaat")).to_be_visible()
    assert_accessible(phone_page)
