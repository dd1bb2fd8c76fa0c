"""The language button in the header works for everyone, signed in or not."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.conftest import Personas
from tests.initiatives.helpers import budget, propose
from tests.voting.helpers import households, open_round, place, voting_round

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("page", "english"),
    [
        ("/accounts/login/?next=/signalen/", "Sign in"),
        ("/initiatieven/voorstellen/", "Propose a resident initiative"),
        ("/initiatieven/resultaten/", "What residents did"),
        ("/stemmen/", "Residents' budget"),
    ],
)
def test_anonymous_visitor_switches_to_english_and_comes_back(
    client: Client, page: str, english: str
) -> None:
    assert client.get(page).status_code == 200
    response = client.post(reverse("set_language"), {"language": "en", "next": page})
    # Back to the page the visitor was on, query string included, not to the login page.
    assert response.status_code == 302
    assert response["Location"] == page
    html = client.get(page).content.decode()
    assert 'lang="en"' in html
    assert english in html
    back = client.post(reverse("set_language"), {"language": "nl", "next": page})
    assert back["Location"] == page
    assert 'lang="nl"' in client.get(page).content.decode()


def test_voter_switches_language_on_the_ballot_and_keeps_the_code(client: Client) -> None:
    where = place()
    households(where.north, 1)
    made, _plans = voting_round(where)
    (letter,) = open_round(made)
    client.post(f"/stemmen/{made.pk}/code/", {"code": letter.code})
    ballot = f"/stemmen/{made.pk}/stembiljet/"
    assert client.get(ballot).status_code == 200
    response = client.post(reverse("set_language"), {"language": "en", "next": ballot})
    assert response["Location"] == ballot
    page = client.get(ballot)
    # Still the ballot (the code is kept), now in English.
    assert page.status_code == 200
    assert 'lang="en"' in page.content.decode()


def test_initiator_switches_language_on_the_follow_page(client: Client) -> None:
    district = factories.DistrictFactory.create()
    budget(district)
    hood = factories.NeighbourhoodFactory.create(parent=district)
    _initiative, token = propose(hood)
    follow = f"/initiatieven/volg/{token}/"
    response = client.post(reverse("set_language"), {"language": "en", "next": follow})
    assert response["Location"] == follow
    assert 'lang="en"' in client.get(follow).content.decode()


def test_language_switch_refuses_to_send_a_visitor_elsewhere(client: Client) -> None:
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://elders.example/"}
    )
    assert response.status_code == 302
    assert "elders.example" not in response["Location"]


def test_signed_in_user_still_switches(client: Client, personas: Personas) -> None:
    client.force_login(personas.worker)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response["Location"] == "/"
    assert "My work" in client.get("/").content.decode()
