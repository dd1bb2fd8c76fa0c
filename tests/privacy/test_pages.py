"""The privacy officer's audit log, its export, and "who looked at my file"."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtkracht.accounts.reauth import SESSION_KEY
from buurtkracht.audit.models import Action, AuditEvent, Ground
from buurtkracht.audit.services import audit_record
from tests.conftest import Personas
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def look(personas: Personas) -> None:
    personas.make_worker_lead()
    worker = Client()
    worker.force_login(personas.worker)
    assert (
        worker.get(reverse("workspace:household", args=[personas.household.pk])).status_code == 200
    )


def test_only_the_privacy_officer_reads_the_log(client: Client, personas: Personas) -> None:
    for name, user in personas.all().items():
        client.force_login(user)
        status = client.get(reverse("audit:log")).status_code
        assert status == (200 if name == "privacy_officer" else 404), name


def test_filter_by_resident_worker_period_and_event(client: Client, personas: Personas) -> None:
    look(personas)
    person = personas.household.members.get()
    client.force_login(personas.privacy_officer)
    today = timezone.localdate().strftime("%d-%m-%Y")
    page = client.get(
        reverse("audit:log"),
        {"resident": person.surname, "worker": "wijkwerker", "date_from": today, "action": "read"},
    ).content.decode()
    assert "1 regel" in page
    assert "wijkwerker" in page
    page = client.get(reverse("audit:log"), {"worker": "niemand"}).content.decode()
    assert "0 regels" in page
    # Reading the log is logged, with the filters and the residents it concerned.
    reads = AuditEvent.objects.filter(
        action=Action.AUDIT_READ, actor_id=personas.privacy_officer.pk
    )
    first = reads.order_by("sequence").first()
    assert first is not None
    assert first.details["filters"]["resident"] == person.surname
    assert list(first.subjects.values_list("person_id", flat=True)) == [person.pk]


def test_wrong_period_is_explained(client: Client, personas: Personas) -> None:
    client.force_login(personas.privacy_officer)
    page = client.get(
        reverse("audit:log"), {"date_from": "10-11-2026", "date_to": "01-11-2026"}
    ).content.decode()
    assert "Draai ze om" in page


def test_export_asks_for_the_password_again_then_streams_csv(
    client: Client, personas: Personas
) -> None:
    look(personas)
    client.force_login(personas.privacy_officer)
    session = client.session
    session[SESSION_KEY] = time.time() - 3600
    session.save()
    url = reverse("audit:log-export") + "?worker=wijkwerker"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:reauth"))

    wrong = client.post(reverse("accounts:reauth"), {"password": "fout", "next": url})
    assert "niet uw wachtwoord" in wrong.content.decode()
    right = client.post(reverse("accounts:reauth"), {"password": PASSWORD, "next": url})
    assert right["Location"] == url
    response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    rows = b"".join(response.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
    assert rows[0].startswith("sequence,occurred_at,actor")
    assert any(",wijkwerker," in row for row in rows[1:])
    export = AuditEvent.objects.get(action=Action.EXPORT)
    assert export.details["filters"] == {"worker": "wijkwerker"}


def test_reauth_refuses_foreign_redirects(client: Client, personas: Personas) -> None:
    client.force_login(personas.privacy_officer)
    response = client.post(
        reverse("accounts:reauth"), {"password": PASSWORD, "next": "https://elders.example/"}
    )
    assert response["Location"] == reverse("workspace:my-work")


def test_resident_sees_who_looked_grouped_per_day(client: Client, personas: Personas) -> None:
    look(personas)
    person = personas.household.members.get()
    audit_record(
        action=Action.READ,
        user=personas.team_leader,
        subjects=[person.pk],
        ground=Ground.TEAM_LEADER,
    )
    client.force_login(personas.resident)
    page = client.get(reverse("audit:my-looks")).content.decode()
    assert "Wie keek in mijn dossier" in page
    assert str(personas.worker.get_full_name()) in page
    assert "wijkteammedewerker" in page
    assert str(personas.team_leader.get_full_name()) in page
    assert page.count('class="utrecht-heading-2"') == 1  # all today: one day heading
    # Workers' sign-ins are not shown to residents; their looks are.
    assert "ingelogd" not in page


def test_who_looked_is_only_for_the_resident_and_the_privacy_officer(
    client: Client, personas: Personas
) -> None:
    person = personas.household.members.get()
    client.force_login(personas.worker)
    assert client.get(reverse("audit:my-looks")).status_code == 404
    assert client.get(reverse("audit:person-looks", args=[person.pk])).status_code == 404
    client.force_login(personas.privacy_officer)
    assert client.get(reverse("audit:person-looks", args=[person.pk])).status_code == 200


def test_privacy_officer_reads_the_consent_register(client: Client, personas: Personas) -> None:
    from buurtkracht.households.consent import consent_record
    from buurtkracht.households.models import Consent

    person = personas.household.members.get()
    consent_record(
        person=person,
        purpose=Consent.Purpose.STORY_IN_REPORT,
        given=True,
        method=Consent.Method.WRITTEN,
        recorded_by=personas.worker,
    )
    url = reverse("audit:consents")
    client.force_login(personas.privacy_officer)
    page = client.get(url, {"resident": person.surname}).content.decode()
    assert person.full_name in page
    assert "rapportage" in page
    read = AuditEvent.objects.filter(action=Action.READ, actor_id=personas.privacy_officer.pk).get()
    assert list(read.subjects.values_list("person_id", flat=True)) == [person.pk]
    for user in (personas.worker, personas.team_leader, personas.functional_admin):
        client.force_login(user)
        assert client.get(url).status_code == 404
