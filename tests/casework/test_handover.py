"""Handover: the team leader moves a leaving worker's households, each with a note."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from buurtkracht.accounts.reauth import SESSION_KEY
from buurtkracht.accounts.services import team_membership_create
from buurtkracht.households.models import Household, Involvement
from tests import factories
from tests.conftest import Personas
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_team_leader_hands_over_with_notes(client: Client, personas: Personas) -> None:
    lead = personas.make_worker_lead()
    team = personas.worker.team_memberships.get().team
    successor = factories.UserFactory.create(username="opvolger")
    team_membership_create(user=successor, team=team)
    client.force_login(personas.team_leader)
    url = reverse("casework:handover")
    page = client.get(url, {"worker": personas.worker.pk}).content.decode()
    assert personas.household.address.street_line in page
    data = {"worker": personas.worker.pk, f"to-{lead.pk}": successor.pk, f"note-{lead.pk}": ""}
    # Without a note nothing moves, and the choice is kept.
    response = client.post(url, data, follow=True)
    assert (
        "handover note" in response.content.decode().lower()
        or "overdrachtsnotitie" in response.content.decode().lower()
    )
    assert Involvement.objects.get(pk=lead.pk).end_date is None
    data[f"note-{lead.pk}"] = "Mevrouw belt liever dan dat ze post leest."
    response = client.post(url, data, follow=True)
    assert "1 huishoudens overgedragen" in response.content.decode()
    lead.refresh_from_db()
    assert lead.end_date is not None
    new = Involvement.objects.get(household=personas.household, worker=successor)
    assert new.kind == Involvement.Kind.LEAD
    assert new.handover_note.startswith("Mevrouw belt")
    # Access moves with it, at once.
    assert (
        not Household.objects.visible_to(personas.worker).filter(pk=personas.household.pk).exists()
    )
    assert Household.objects.visible_to(successor).filter(pk=personas.household.pk).exists()


def test_handover_asks_for_the_password_in_the_same_form(
    client: Client, personas: Personas
) -> None:
    lead = personas.make_worker_lead()
    successor = factories.UserFactory.create(username="opvolger")
    team_membership_create(user=successor, team=personas.worker.team_memberships.get().team)
    client.force_login(personas.team_leader)
    session = client.session
    session[SESSION_KEY] = time.time() - 3600
    session.save()
    data = {
        "worker": personas.worker.pk,
        f"to-{lead.pk}": successor.pk,
        f"note-{lead.pk}": "Alles staat in het plan.",
    }
    page = client.post(reverse("casework:handover"), data).content.decode()
    assert 'type="password"' in page
    assert "Alles staat in het plan." in page  # nothing typed is lost
    assert Involvement.objects.get(pk=lead.pk).end_date is None
    client.post(reverse("casework:handover"), {**data, "password": PASSWORD})
    assert Involvement.objects.get(pk=lead.pk).end_date is not None


def test_only_team_leaders_hand_over_and_only_to_their_own_team(
    client: Client, personas: Personas
) -> None:
    lead = personas.make_worker_lead()
    client.force_login(personas.worker)
    assert client.get(reverse("casework:handover")).status_code == 404
    client.force_login(personas.team_leader)
    response = client.post(
        reverse("casework:handover"),
        {
            "worker": personas.worker.pk,
            f"to-{lead.pk}": personas.colleague.pk,
            f"note-{lead.pk}": "x",
        },
    )
    assert response.status_code in (200, 302)
    assert Involvement.objects.get(pk=lead.pk).end_date is None  # colleague is not in the team
