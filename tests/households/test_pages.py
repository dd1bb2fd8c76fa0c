"""Household pages: the file, the search and emergency access with its review list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtkracht.accounts.models import User
from buurtkracht.audit.models import Action, AuditEvent, Ground
from buurtkracht.households.models import EmergencyAccess
from tests import factories
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def emergency_url(personas: Personas, worker: User) -> str:
    from buurtkracht.households.services import emergency_token

    token = emergency_token(worker=worker, household=personas.household)
    return reverse("households:emergency-access", args=[token])


def test_household_file_shows_members_and_who_is_involved(
    client: Client, personas: Personas, django_assert_max_num_queries: object
) -> None:
    personas.make_worker_lead()
    client.force_login(personas.team_leader)
    url = reverse("workspace:household", args=[personas.household.pk])
    # A ceiling, one query or two per section of the file (since issue 18: the outside
    # professionals, appointments, documents and the menu's notification badge; since
    # issue 19 the corrections a resident asked, docs/data-rights.md, and the unread
    # messages); that it stays the same as the data grows is
    # tests/workspace/test_query_counts.py.
    with django_assert_max_num_queries(32):  # type: ignore[operator]
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
    response = client.get(reverse("workspace:household", args=[personas.household.pk]))
    assert response.status_code == 404
    refused = AuditEvent.objects.get(actor_id=personas.colleague.pk, action=Action.READ)
    assert refused.allowed is False
    assert refused.ground == Ground.NONE
    # An id that does not exist looks exactly the same.
    assert client.get(reverse("workspace:household", args=[999999])).status_code == 404


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
    url = emergency_url(personas, personas.colleague)
    response = client.post(url, {"reason": "nodig"})
    assert response.status_code == 200
    assert "minstens 20 tekens" in response.content.decode()
    assert "nodig" in response.content.decode()  # what was typed is kept
    assert not EmergencyAccess.objects.exists()

    reason = "Mevrouw staat aan de balie in crisis; haar eigen team is vandaag niet bereikbaar."
    response = client.post(url, {"reason": reason}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "workspace:household", args=[personas.household.pk]
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
    assert (
        client.get(reverse("workspace:household", args=[personas.household.pk])).status_code == 404
    )


def test_emergency_access_is_not_for_volunteers(client: Client, personas: Personas) -> None:
    client.force_login(personas.volunteer)
    url = emergency_url(personas, personas.volunteer)
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


def test_emergency_access_needs_a_fresh_token_from_a_search_of_ones_own(
    client: Client, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from buurtkracht.households import services

    reason = {"reason": "Mevrouw staat in crisis aan de balie; haar team is onbereikbaar."}
    # A token handed to someone else is worthless.
    client.force_login(personas.team_leader)
    assert client.get(emergency_url(personas, personas.colleague)).status_code == 404
    # A tampered token neither; both refusals are logged.
    client.force_login(personas.colleague)
    url = emergency_url(personas, personas.colleague)
    assert client.post(url[:-3] + "abc/", reason).status_code == 404
    assert AuditEvent.objects.filter(action=Action.EMERGENCY_ACCESS, allowed=False).count() == 2
    # An old one expires.
    later = time.time() + services.EMERGENCY_TOKEN_SECONDS + 5
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert client.post(url, reason).status_code == 404
    assert not EmergencyAccess.objects.exists()


def test_search_links_carry_no_household_id(client: Client, personas: Personas) -> None:
    person = personas.household.members.get()
    client.force_login(personas.colleague)
    page = client.get(
        reverse("households:search"),
        {"surname": person.surname, "date_of_birth": person.date_of_birth.strftime("%d-%m-%Y")},  # type: ignore[union-attr]
    ).content.decode()
    assert f"/huishoudens/{personas.household.pk}/" not in page
    assert "/huishoudens/noodtoegang/aanvragen/" in page


def test_review_rules(client: Client, personas: Personas) -> None:
    import datetime as dt

    from django.utils import timezone

    from buurtkracht.accounts.services import team_membership_create
    from buurtkracht.households.models import EmergencyAccess

    now = timezone.now()
    own = EmergencyAccess.objects.create(
        household=personas.household,
        worker=personas.team_leader,
        reason="Eigen gebruik door de teamleider zelf, 's avonds",
        started_at=now,
        expires_at=now,
    )
    other = EmergencyAccess.objects.create(
        household=personas.household,
        worker=personas.colleague,
        reason="Crisis in de avond, eigen team niet bereikbaar",
        started_at=now,
        expires_at=now,
    )
    url = reverse("households:emergency-review", args=[own.pk])
    client.force_login(personas.team_leader)
    # Nobody reviews their own use.
    assert client.post(url, {"note": "Prima"}).status_code == 404
    client.post(reverse("households:emergency-review", args=[other.pk]), {"note": "Terecht."})
    # A judgement is not overwritten, not even by the privacy officer.
    client.force_login(personas.privacy_officer)
    client.post(reverse("households:emergency-review", args=[other.pk]), {"note": "Anders"})
    other.refresh_from_db()
    assert other.review_note == "Terecht."
    assert AuditEvent.objects.filter(action=Action.UPDATE, details__review="Terecht.").exists()
    # A former team leader no longer sees the list's content.
    personas.team_leader.team_memberships.update(
        end_date=timezone.localdate() - dt.timedelta(days=1)
    )
    team_membership_create(user=personas.team_leader, team=factories.TeamFactory.create())
    client.force_login(personas.team_leader)
    assert (
        "Crisis in de avond"
        not in client.get(reverse("households:emergency-review-list")).content.decode()
    )
