"""Household pages: the file, the search and emergency access with its review list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtkracht.audit.models import Action, AuditEvent, Ground
from buurtkracht.households.models import EmergencyAccess
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_household_file_shows_members_and_who_is_involved(
    client: Client, personas: Personas, django_assert_max_num_queries: object
) -> None:
    personas.make_worker_lead()
    client.force_login(personas.team_leader)
    url = reverse("households:detail", args=[personas.household.pk])
    with django_assert_max_num_queries(25):  # type: ignore[operator]
        page = client.get(url).content.decode()
    person = personas.household.members.get()
    assert person.surname in page
    assert "Anouk de Wit" in page or str(personas.worker) in page
    assert "regisseur" in page.lower() or "lead worker" in page.lower()
    event = AuditEvent.objects.filter(action=Action.READ, actor_id=personas.team_leader.pk).get()
    assert event.ground == Ground.TEAM_LEADER
    assert list(event.subjects.values_list("person_id", flat=True)) == [person.pk]


def test_outsider_gets_404_and_the_refusal_is_logged(client: Client, personas: Personas) -> None:
    client.force_login(personas.colleague)
    response = client.get(reverse("households:detail", args=[personas.household.pk]))
    assert response.status_code == 404
    refused = AuditEvent.objects.get(actor_id=personas.colleague.pk, action=Action.READ)
    assert refused.allowed is False
    assert refused.ground == Ground.NONE
    # An id that does not exist looks exactly the same.
    assert client.get(reverse("households:detail", args=[999999])).status_code == 404


def test_search_needs_two_facts_and_logs_the_terms(client: Client, personas: Personas) -> None:
    client.force_login(personas.colleague)
    url = reverse("households:search")
    page = client.get(url, {"surname": "Yılmaz"}).content.decode()
    assert "achternaam met een geboortedatum" in page
    person = personas.household.members.get()
    response = client.get(
        url,
        {"surname": person.surname, "date_of_birth": person.date_of_birth.strftime("%d-%m-%Y")},  # type: ignore[union-attr]
    )
    page = response.content.decode()
    # The colleague learns that a file exists, not whose or where.
    assert "noodtoegang" in page.lower()
    assert personas.household.address.street not in page
    search = AuditEvent.objects.get(action=Action.SEARCH, actor_id=personas.colleague.pk)
    assert search.details["terms"]["surname"] == person.surname
    assert search.details["found"] == 1


def test_search_is_for_workers_only(client: Client, personas: Personas) -> None:
    for user in (personas.volunteer, personas.partner_liaison, personas.policy_advisor):
        client.force_login(user)
        assert client.get(reverse("households:search")).status_code == 404


def test_emergency_access_needs_a_reason_then_opens_for_an_hour(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.colleague)
    url = reverse("households:emergency-access", args=[personas.household.pk])
    response = client.post(url, {"reason": "nodig"})
    assert response.status_code == 200
    assert "minstens 20 tekens" in response.content.decode()
    assert "nodig" in response.content.decode()  # what was typed is kept
    assert not EmergencyAccess.objects.exists()

    reason = "Mevrouw staat aan de balie in crisis; haar eigen team is vandaag niet bereikbaar."
    response = client.post(url, {"reason": reason}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "households:detail", args=[personas.household.pk]
    )
    assert "noodtoegang" in response.content.decode().lower()
    access = EmergencyAccess.objects.get()
    assert (
        dt.timedelta(minutes=59) < access.expires_at - access.started_at <= dt.timedelta(minutes=60)
    )
    flagged = AuditEvent.objects.get(action=Action.EMERGENCY_ACCESS)
    assert flagged.ground == Ground.EMERGENCY
    assert flagged.reason == reason
    read = AuditEvent.objects.filter(action=Action.READ, actor_id=personas.colleague.pk).get()
    assert read.ground == Ground.EMERGENCY

    access.expires_at = timezone.now() - dt.timedelta(minutes=1)
    access.save()
    assert client.get(reverse("households:detail", args=[personas.household.pk])).status_code == 404


def test_emergency_access_is_not_for_volunteers(client: Client, personas: Personas) -> None:
    client.force_login(personas.volunteer)
    url = reverse("households:emergency-access", args=[personas.household.pk])
    assert client.post(url, {"reason": "x" * 40}).status_code == 404
    assert not EmergencyAccess.objects.exists()


def test_review_list_for_team_leader_and_privacy_officer(
    client: Client, personas: Personas
) -> None:
    access = EmergencyAccess.objects.create(
        household=personas.household,
        worker=personas.colleague,
        reason="Crisis in de avond, eigen team niet bereikbaar",
        started_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    privacy = personas.privacy_officer
    url = reverse("households:emergency-review-list")
    for user in (personas.team_leader, privacy):
        client.force_login(user)
        assert "Crisis in de avond" in client.get(url).content.decode()
    for user in (personas.worker, personas.colleague, personas.functional_admin):
        client.force_login(user)
        assert client.get(url).status_code == 404

    client.force_login(personas.team_leader)
    client.post(reverse("households:emergency-review", args=[access.pk]), {"note": "Terecht."})
    access.refresh_from_db()
    assert access.reviewed_by == personas.team_leader
    assert access.review_note == "Terecht."
