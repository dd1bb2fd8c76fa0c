"""The resident's copy of their data (AVG art. 15) and their correction requests (art.
16): what the copy holds, the job that makes it, who may download it, the deadlines and
who is told. docs/data-rights.md."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from buurtkracht.audit.models import Action, AuditEvent
from buurtkracht.core.jobs import jobs_requeue_stale
from buurtkracht.core.models import Job
from buurtkracht.households.models import DataRequest
from buurtkracht.notifications.models import Notification
from buurtkracht.privacy import export
from buurtkracht.privacy.export_job import export_start
from tests.conftest import Personas
from tests.privacy.data_rights_fixtures import FullFile, full_file

pytestmark = pytest.mark.django_db

MARKERS = {
    "consents": "consent-marker",
    "professionals": "Prof Marker",
    "emergency_access": "emergency-marker",
    "plan": "plan-marker",
    "goals": "goal-marker",
    "actions": "action-marker",
    "contacts": "contact-marker",
    "conversations": "conversation-marker",
    "appointments": "appointment-marker",
    "assessments": "assessment-marker",
    "stories": "story-marker",
    "network": "tie-marker",
    "network_versions": "version-marker",
    "referrals": "referral-marker",
    "volunteer_requests": "volunteer-marker",
    "documents": "document-marker",
    "mandate_decisions": "mandate-marker",
    "conference_cases": "budgetbeheer",
}


@pytest.fixture
def made(personas: Personas) -> tuple[FullFile, DataRequest]:
    file = full_file(personas)
    # The worker looked, so the access log has a line.
    worker = Client()
    worker.force_login(file.worker)
    worker.get(reverse("workspace:household", args=[file.household.pk]))
    data_request, job = export_start(person=file.person, user=file.resident)
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    data_request.refresh_from_db()
    return file, data_request


def test_the_copy_holds_every_section_with_the_residents_data(
    made: tuple[FullFile, DataRequest],
) -> None:
    file, data_request = made
    document = json.loads(bytes(data_request.export_json))
    sections = document["sections"]
    # Every section the registry names is in the copy and has the resident's record.
    for key in set(export.EXPORTED.values()) | {"access_log"}:
        assert sections[key]["records"], f"section {key} is empty"
    for key, marker in MARKERS.items():
        assert marker in json.dumps(sections[key], ensure_ascii=False), key
    assert sections["person"]["records"][0]["surname"] == file.person.surname
    assert sections["signals"]["records"][0]["signal_date"]
    assert sections["account"]["records"][0]["username"] == file.resident.username
    assert any(r["who"] for r in sections["access_log"]["records"])
    # What the resident's own file does not show is not in the copy either.
    text = bytes(data_request.export_json).decode()
    for hidden in ("SENSITIVE-NOTE", "INTAKE-WORDS", "WORKERS-NOTE"):
        assert hidden not in text
    assert set(document["not_included"]) == set(export.NOT_EXPORTED)


def test_the_pdf_reads_the_same(made: tuple[FullFile, DataRequest]) -> None:
    file, data_request = made
    reader = PdfReader(io.BytesIO(bytes(data_request.export_pdf)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert file.person.surname in text
    for marker in ("goal-marker", "tie-marker", "contact-marker", "Wie heeft uw gegevens bekeken"):
        assert marker in text
    assert "SENSITIVE-NOTE" not in text


def test_the_job_resumes_after_a_stop_and_ends_as_a_clean_run(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = full_file(personas)
    calls: list[str] = []
    stopped: list[bool] = []
    original = list(export.PARTS)

    def counted(key: str, function: Any) -> Any:
        def wrapped(person: Any, households: Any) -> Any:
            calls.append(key)
            if key == "outcomes" and not stopped:
                stopped.append(True)
                raise RuntimeError("the worker was killed here")
            return function(person, households)

        return wrapped

    monkeypatch.setattr(export, "PARTS", [(key, counted(key, f)) for key, f in original])
    export_start(person=file.person, user=file.resident)
    data_request = DataRequest.objects.get(kind=DataRequest.Kind.ACCESS)
    # The steps before the stop are kept; nothing is made yet.
    assert set(data_request.parts) == {"households", "casework", "network"}
    assert not data_request.ready
    # As a worker killed there leaves it: running, its heartbeat going stale. The sweep
    # of the next worker queues it again, and the run resumes at outcomes.
    job = data_request.job
    assert job is not None
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING,
        claim="dead",
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )
    calls.clear()
    assert jobs_requeue_stale() == [job.pk]
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert calls == [
        key for key, _f in original if key not in ("households", "casework", "network")
    ]
    data_request.refresh_from_db()
    assert data_request.ready and data_request.status == DataRequest.Status.HANDLED
    # The end equals a clean run (apart from the moment it was made and the log itself).
    monkeypatch.setattr(export, "PARTS", original)
    clean, _job = export_start(person=file.person, user=file.resident)
    clean.refresh_from_db()
    resumed = json.loads(bytes(data_request.export_json))["sections"]
    fresh = json.loads(bytes(clean.export_json))["sections"]
    for key in set(fresh) - {"access_log", "data_requests"}:
        assert resumed[key] == fresh[key], key
    # One entry in the access log per copy made.
    assert (
        AuditEvent.objects.filter(action=Action.EXPORT, object_id=str(data_request.pk)).count() == 1
    )


def test_only_the_resident_and_the_privacy_officer_download_the_copy(
    personas: Personas, made: tuple[FullFile, DataRequest]
) -> None:
    file, data_request = made
    url = reverse("audit:my-data-download", args=[data_request.pk, "pdf"])
    for name, user in personas.all().items():
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == (200 if name == "resident" else 404), name
    client = Client()
    client.force_login(personas.resident)
    response = client.get(reverse("audit:my-data-download", args=[data_request.pk, "json"]))
    assert json.loads(response.content)["about"] == file.person.full_name
    assert AuditEvent.objects.filter(
        action=Action.EXPORT, actor_id=personas.resident.pk, details__download="json"
    ).exists()
    # The privacy officer opens it only with a reason, which goes in the log.
    officer_url = reverse("audit:data-request-download", args=[data_request.pk])
    for name, user in personas.all().items():
        client = Client()
        client.force_login(user)
        status = client.post(officer_url, {"reason": "Op papier gevraagd"}).status_code
        assert status == (200 if name == "privacy_officer" else 404), name
    client = Client()
    client.force_login(personas.privacy_officer)
    assert client.post(officer_url, {"reason": ""}).status_code == 400
    assert AuditEvent.objects.filter(
        action=Action.EXPORT,
        actor_id=personas.privacy_officer.pk,
        details__reason="Op papier gevraagd",
    ).exists()


def test_another_residents_copy_is_a_404(
    personas: Personas, made: tuple[FullFile, DataRequest]
) -> None:
    from buurtkracht.accounts.models import Role
    from buurtkracht.accounts.services import role_grant
    from tests import factories

    other = factories.MembershipFactory.create()
    neighbour = factories.UserFactory.create(username="buurvrouw", person=other.person)
    role_grant(user=neighbour, role=Role.RESIDENT)
    client = Client()
    client.force_login(neighbour)
    _file, data_request = made
    url = reverse("audit:my-data-download", args=[data_request.pk, "pdf"])
    assert client.get(url).status_code == 404


def test_a_correction_reaches_the_lead_worker_and_the_privacy_officer(
    personas: Personas,
) -> None:
    personas.make_worker_lead()
    resident = Client()
    resident.force_login(personas.resident)
    refused = resident.post(reverse("audit:my-data-correction"), {"wrong": "Mijn telefoon"})
    assert refused.status_code == 400
    assert "Mijn telefoon" in refused.content.decode()
    response = resident.post(
        reverse("audit:my-data-correction"),
        {"wrong": "Mijn telefoonnummer klopt niet", "should_be": "06 12345678"},
    )
    assert response.status_code == 302
    data_request = DataRequest.objects.get(kind=DataRequest.Kind.CORRECTION)
    told = Notification.objects.filter(kind="data_request")
    assert {n.recipient_id for n in told} == {personas.worker.pk, personas.privacy_officer.pk}
    person = personas.household.members.get()
    for notification in told:
        assert person.surname not in notification.text
        assert "telefoon" not in notification.text
    # The lead worker sees it on the file and answers.
    worker = Client()
    worker.force_login(personas.worker)
    page = worker.get(reverse("workspace:household", args=[personas.household.pk])).content
    on_file = reverse("households:data-request", args=[personas.household.pk, data_request.pk])
    assert on_file in page.decode()
    assert worker.post(on_file, {"answer": ""}).status_code == 400
    assert worker.post(on_file, {"answer": "Aangepast in het dossier."}).status_code == 302
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.HANDLED
    assert data_request.handled_by == personas.worker
    assert "Aangepast in het dossier." in resident.get(reverse("audit:my-data")).content.decode()
    # The resident is told that there is an answer.
    assert Notification.objects.filter(recipient=personas.resident, kind="data_request").exists()
    # Someone without a ground on the file gets the 404 of a file that does not exist.
    colleague = Client()
    colleague.force_login(personas.colleague)
    assert colleague.get(on_file).status_code == 404


def test_the_privacy_officer_sees_open_requests_overdue_first_and_marks_them_handled(
    personas: Personas,
) -> None:
    from buurtkracht.households.rights import data_request_create

    person = personas.household.members.get()
    late = data_request_create(
        person=person, user=personas.resident, kind="correction", wrong="a", should_be="b"
    )
    recent = data_request_create(
        person=person, user=personas.resident, kind="correction", wrong="c", should_be="d"
    )
    DataRequest.objects.filter(pk=late.pk).update(due_on=late.due_on - dt.timedelta(days=40))
    client = Client()
    client.force_login(personas.privacy_officer)
    page = client.get(reverse("audit:data-requests")).content.decode()
    first = page.index(reverse("audit:data-request", args=[late.pk]))
    second = page.index(reverse("audit:data-request", args=[recent.pk]))
    assert first < second
    assert "over de datum" in page
    url = reverse("audit:data-request", args=[late.pk])
    assert client.post(url, {"answer": ""}).status_code == 400
    assert client.post(url, {"answer": "Gecorrigeerd."}).status_code == 302
    late.refresh_from_db()
    assert late.status == DataRequest.Status.HANDLED and late.answer == "Gecorrigeerd."
    for name, user in personas.all().items():
        other = Client()
        other.force_login(user)
        status = other.get(reverse("audit:data-requests")).status_code
        assert status == (200 if name == "privacy_officer" else 404), name
