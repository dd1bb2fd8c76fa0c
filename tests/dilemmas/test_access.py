"""Who reaches the dilemma log: the current members of the team and nobody else. Every
route of the `dilemmas` namespace for every persona, with real objects of Team Oost: the
colleague of Team West has a log of their own but gets a 404 for Oost's dilemma, meeting
and lessons; every other role (the outside professional and the circle member too) gets
a 404 everywhere, GET and POST."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtkracht.dilemmas.models import Dilemma, ReflectionMeeting
from buurtkracht.dilemmas.services import agenda_item_add
from tests.conftest import Personas
from tests.test_authorisation_matrix import all_routes

pytestmark = pytest.mark.django_db

TEAM_PAGES = {"dilemmas:list", "dilemmas:new", "dilemmas:meetings"}
OBJECT_PAGES = {"dilemmas:detail", "dilemmas:meeting", "dilemmas:lessons"}
LEADER_PAGES = {"dilemmas:themes"}
# Which persona opens which page of Team Oost's log (200); every other pair is a 404.
OPENS = {
    "worker": TEAM_PAGES | OBJECT_PAGES,
    "team_leader": TEAM_PAGES | OBJECT_PAGES | LEADER_PAGES,
    # Team West's worker: their own team's log, nothing of Oost.
    "colleague": TEAM_PAGES,
}


def test_every_dilemma_route_for_every_persona(
    personas: Personas, dilemma: Dilemma, meeting: ReflectionMeeting
) -> None:
    item = agenda_item_add(meeting=meeting, dilemma=dilemma, user=personas.worker)
    ids = {
        "dilemmas:detail": dilemma.pk,
        "dilemmas:meeting": meeting.pk,
        "dilemmas:lessons": item.pk,
    }
    routes = {
        route.name: route.path
        for route in all_routes({"default": "0"})
        if route.name.startswith("dilemmas:")
    }
    assert set(routes) == TEAM_PAGES | OBJECT_PAGES | LEADER_PAGES, "a new route needs a row"
    paths = {
        name: reverse(name, args=[ids[name]]) if name in ids else reverse(name) for name in routes
    }
    for persona, user in personas.all().items():
        client = Client()
        client.force_login(user)
        for name, path in paths.items():
            expected = 200 if name in OPENS.get(persona, set()) else 404
            response = client.get(path)
            assert response.status_code == expected, (persona, path, response.status_code)
            body = response.content.decode()
            if name in TEAM_PAGES and persona == "colleague":
                assert dilemma.title not in body
            if expected == 404:
                assert client.post(path).status_code in (404, 405), (persona, path)


def test_anonymous_visitors_go_to_the_login_page(client: Client, dilemma: Dilemma) -> None:
    response = client.get(reverse("dilemmas:detail", args=[dilemma.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_former_member_no_longer_reads_the_log(personas: Personas, dilemma: Dilemma) -> None:
    membership = personas.worker.team_memberships.get()
    membership.end_date = timezone.localdate() - dt.timedelta(days=1)
    membership.save()
    client = Client()
    client.force_login(personas.worker)
    assert client.get(reverse("dilemmas:detail", args=[dilemma.pk])).status_code == 404
    assert client.get(reverse("dilemmas:list")).status_code == 404
