"""Background jobs (core.jobs): the progress page and its JSON for the starter and those
who may see the result, a failure said in plain words, a job whose worker died queued
again and finished once, and the partner upload and the large API batch as jobs.

Tasks run at once here (ImmediateBackend in conf/test.py); real workers, kill -9 and a
lost database connection are in test_job_faults.py (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from buurtkracht.core import jobs
from buurtkracht.core.models import Job
from buurtkracht.signals.models import Delivery, Signal
from buurtkracht.signals.services.deliveries import JOB_KIND
from buurtkracht.signals.stored import DeliveryContent
from buurtkracht.signals.tokens import api_token_create
from tests.conftest import Personas
from tests.signals.helpers import signal_row

CALLS: list[int] = []
WAITING_FILE = (
    "Kenmerk;Signaaldatum;Voorletters;Achternaam;Geboortedatum;Straat;Huisnummer;Postcode;"
    "Woonplaats;Bedrag achterstand;Aantal termijnen\r\n"
    "R-1;01-12-2026;J.;Jansen;17-05-1970;Lindenstraat;1;9990AB;Testwijk;€ 100,00;2\r\n"
).encode()


def _ok_work(run: jobs.JobRun) -> str:
    CALLS.append(run.job.pk)
    run.progress(5, 10)
    run.progress(10, 10)
    return "/klaar/"


def _failing_work(run: jobs.JobRun) -> str:
    raise jobs.JobFailed("Het bestand is leeg. Lever een bestand met regels aan.")


def _job(personas: Personas, **fields: Any) -> Job:
    return Job.objects.create(
        kind="test.kind",
        started_by=personas.partner_liaison,
        task_path="buurtkracht.signals.tasks.delivery_take_in",
        **fields,
    )


def test_a_job_runs_once_and_reports_its_progress(personas: Personas) -> None:
    CALLS.clear()
    job = _job(personas)
    jobs.job_run(job.pk, _ok_work)
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.result_url) == ("done", 10, 10, "/klaar/")
    assert job.attempts == 1 and job.finished_at is not None
    jobs.job_run(job.pk, _ok_work)  # queued twice: the finished job is left alone
    assert [job.pk] == CALLS


def test_a_failed_job_says_why_on_its_page_to_the_starter_only(personas: Personas) -> None:
    job = _job(personas)
    jobs.job_run(job.pk, _failing_work)
    job.refresh_from_db()
    assert job.state == "failed"
    client = Client()
    client.force_login(personas.partner_liaison)
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "Het bestand is leeg" in page
    assert 'role="alert"' in page and "<progress" in page and 'aria-live="polite"' in page
    status = client.get(reverse("core:job-status", args=[job.pk])).json()
    assert status["state"] == "failed" and "leeg" in status["failure"]
    for other in (personas.worker, personas.signal_officer):
        client.force_login(other)
        assert client.get(reverse("core:job", args=[job.pk])).status_code == 404
        assert client.get(reverse("core:job-status", args=[job.pk])).status_code == 404


def test_a_job_whose_worker_died_is_queued_again_and_finishes(personas: Personas) -> None:
    now = timezone.now()
    job = _job(personas, state="running", claim="dead-worker", heartbeat_at=now)
    assert jobs.jobs_requeue_stale(now) == []  # a fresh heartbeat: alive
    with override_settings(JOBS_STALE_SECONDS=60):
        later = now + dt.timedelta(seconds=61)
        # The dead run cannot write any more once the job is queued again.
        assert jobs.jobs_requeue_stale(later) == [job.pk]
    job.refresh_from_db()
    assert job.claim != "dead-worker"
    dead = jobs.JobRun(job, "dead-worker")
    with pytest.raises(jobs.Superseded):
        dead.progress(1, 2)


def test_a_live_run_is_not_taken_over(personas: Personas) -> None:
    CALLS.clear()
    job = _job(personas, state="running", claim="alive", heartbeat_at=timezone.now())
    jobs.job_run(job.pk, _ok_work)
    assert CALLS == []
    job.refresh_from_db()
    assert job.claim == "alive"


def _upload(client: Client, rows: list[dict[str, str]]) -> Any:
    header = ";".join(rows[0])
    lines = [header] + [";".join(r.values()) for r in rows]
    upload = SimpleUploadedFile("signalen.csv", "\r\n".join(lines).encode(), "text/csv")
    return client.post(reverse("signals:deliver"), {"file": upload})


def test_an_upload_is_a_job_the_partners_liaisons_can_follow(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.partner_liaison)
    response = _upload(client, [signal_row(personas), signal_row(personas, ref="R-2")])
    delivery = Delivery.objects.get()
    assert response["Location"] == reverse("signals:delivery", args=[delivery.pk])
    job = Job.objects.get(kind=JOB_KIND, object_id=delivery.pk)
    assert job.state == "done" and (job.done, job.total) == (2, 2)
    assert job.result_url == reverse("signals:delivery", args=[delivery.pk])
    assert not DeliveryContent.objects.exists()  # the file is not kept once taken in
    assert Signal.objects.count() == 2
    status = client.get(reverse("core:job-status", args=[job.pk])).json()
    assert status["percent"] == 100 and status["result_url"]
    client.force_login(personas.worker)  # not of the partner: no delivery, no job
    assert client.get(reverse("core:job", args=[job.pk])).status_code == 404


def test_a_delivery_still_being_taken_in_shows_its_progress(personas: Personas) -> None:
    from buurtkracht.signals.services import delivery_submit_file

    with override_settings(JOBS_BACKEND="database"):  # queued, no worker runs it here
        outcome = delivery_submit_file(
            organisation=personas.partner_liaison.organisation,  # type: ignore[arg-type]
            data=WAITING_FILE,
            filename="signalen.csv",
            user=personas.partner_liaison,
        )
    assert outcome.job is not None and outcome.job.state == "queued"
    client = Client()
    client.force_login(personas.partner_liaison)
    page = client.get(reverse("signals:delivery", args=[outcome.delivery.pk])).content.decode()
    assert reverse("core:job-status", args=[outcome.job.pk]) in page
    assert "<progress" in page and "data-reload" in page
    # The same file again while it waits (a double click): nothing twice.
    again = delivery_submit_file(
        organisation=outcome.delivery.organisation,
        data=WAITING_FILE,
        filename="signalen.csv",
    )
    assert again.already_delivered and again.delivery == outcome.delivery


@override_settings(SIGNALS_API_SYNC_MAX=2)
def test_a_large_api_batch_is_answered_at_once_and_followed(personas: Personas) -> None:
    organisation = personas.partner_liaison.organisation
    _token, plain = api_token_create(
        organisation=organisation,  # type: ignore[arg-type]
        label="Koppeling",
        by=personas.functional_admin,
    )
    rows = [signal_row(personas, ref=f"R-{i}") for i in range(3)]
    rows.append(signal_row(personas, ref="R-9", postcode="9999"))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
    response = client.post(
        "/api/v1/signalen/", json.dumps({"signals": rows}), content_type="application/json"
    )
    assert response.status_code == 202
    body = response.json()
    assert body["received"] == 4
    follow = client.get(body["progress"]).json()  # tasks ran at once here
    assert follow["status"] == "done"
    assert (follow["accepted"], follow["processed"]) == (3, 4)
    assert [r["partner_reference"] for r in follow["rejected"]] == ["R-9"]
    assert client.get("/api/v1/leveringen/999999/").status_code == 404


def test_a_file_with_unknown_columns_is_refused_on_the_upload_page_before_any_job(
    personas: Personas,
) -> None:
    """With real workers the header is still checked while the partner waits: the page
    names the column and offers to leave it out; no job starts, nothing is taken in."""
    client = Client()
    client.force_login(personas.partner_liaison)
    data = WAITING_FILE.replace(b"Aantal termijnen", b"Klantcategorie")
    with override_settings(JOBS_BACKEND="database"):  # no worker runs anything here
        response = client.post(
            reverse("signals:deliver"),
            {"file": SimpleUploadedFile("signalen.csv", data, content_type="text/csv")},
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Klantcategorie" in page and 'name="skip_unknown_columns"' in page
    assert not Job.objects.exists() and not Signal.objects.exists()
    assert not DeliveryContent.objects.exists()
    assert Delivery.objects.get().status == Delivery.Status.FAILED


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer: nothing to see"
)
def test_progress_from_inside_one_long_transaction_shows_before_it_commits(
    personas: Personas,
) -> None:
    """Work that is one transaction (a register extract) still shows its progress and
    heartbeat to the page and the other workers while it runs."""
    from django.db import connections, transaction

    job = _job(personas, state="running", claim="c1")
    run = jobs.JobRun(job, "c1")
    observer = connections.create_connection("default")
    try:
        with transaction.atomic():
            run.progress_during_transaction(40, 100, "40 van 100")
            with observer.cursor() as cursor:
                cursor.execute("SELECT done, total FROM core_job WHERE id = %s", [job.pk])
                assert cursor.fetchone() == (40, 100)
            # Another run's claim: its progress writes nothing.
            other = jobs.JobRun(job, "someone-else")
            other.progress_during_transaction(90, 100)
            other.close()
            with observer.cursor() as cursor:
                cursor.execute("SELECT done FROM core_job WHERE id = %s", [job.pk])
                assert cursor.fetchone() == (40,)
    finally:
        run.close()
        observer.close()


def _failing_in_words(run: jobs.JobRun) -> str:
    from django.utils.translation import gettext

    raise jobs.JobFailed(gettext("Taking in the extract"))


def test_a_worker_without_a_language_stores_its_words_in_the_sites(personas: Personas) -> None:
    """A worker is a management command (no language active): what it stores for the
    page is in Dutch; a language already active is kept."""
    from django.utils import translation

    job = _job(personas)
    with translation.override(None):
        jobs.job_run(job.pk, _failing_in_words)
    job.refresh_from_db()
    assert job.failure == "Het uittreksel wordt ingelezen"
    other = _job(personas)
    with translation.override("en"):
        jobs.job_run(other.pk, _failing_in_words)
    other.refresh_from_db()
    assert other.failure == "Taking in the extract"
