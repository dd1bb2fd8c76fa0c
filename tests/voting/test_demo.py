"""The demo rounds: a counted knapsack round in Oost with the computation and stories,
an open tokens round in West whose first codes vote; safe to call twice."""

from __future__ import annotations

import pytest
from django.test import Client

from buurtkracht.demo.voting import voting_demo_codes, voting_demo_create
from buurtkracht.voting.models import VotingRound
from buurtkracht.voting.results import recount
from tests.voting.helpers import households, place

pytestmark = pytest.mark.django_db


def test_the_demo_rounds() -> None:
    oost, west = place("Oost"), place("West")
    households(oost.north, 30)
    households(oost.south, 30)
    households(west.north, 5)
    assert voting_demo_create(seed=1) == 2
    assert voting_demo_create(seed=1) == 0
    counted = VotingRound.objects.get(status=VotingRound.Status.COUNTED)
    tally = recount(counted)
    assert tally.ballots > 0 and tally.winners and tally.spent <= counted.budget
    titles = set(counted.proposals.values_list("title", flat=True))
    assert "Bankjes en een wandelroute langs de Linde" in titles
    assert not counted.proposals.filter(follow_up_text="").exists()
    body = Client().get(f"/stemmen/{counted.pk}/uitslag/").content.decode()
    assert "Stap voor stap" in body
    open_round = VotingRound.objects.get(status=VotingRound.Status.OPEN)
    client = Client()
    code = voting_demo_codes(seed=1)[0]
    response = client.post(f"/stemmen/{open_round.pk}/code/", {"code": code})
    assert response.status_code == 302, response.content.decode()[:500]
