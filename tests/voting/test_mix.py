"""The mix (docs/voting.md): votes wait sealed and become ballots in shuffled batches; the
counts before closing move by whole batches; closing and counting write the rest; a crash
between the vote and its batch loses no vote and gives no second one. The PostgreSQL
attack on the stored rows is in test_secrecy_postgres.py."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.test import override_settings

from buurtkracht.voting import services
from buurtkracht.voting.models import Ballot, BallotChoice, SealedBallot, VotingCode
from buurtkracht.voting.results import recount
from buurtkracht.voting.services import ballots as ballots_module
from buurtkracht.voting.services import mix
from tests.voting.helpers import counted, households, open_round, place, voting_round

pytestmark = pytest.mark.django_db


def test_votes_leave_the_mix_in_batches_and_closing_and_counting_write_the_rest() -> None:
    where = place()
    households(where.north, 45)
    households(where.south, 3)
    made, plans = voting_round(where)
    letters = open_round(made)
    north = [letter for letter in letters if letter.neighbourhood == "Oost Noord"]
    south = [letter for letter in letters if letter.neighbourhood == "Oost Zuid"]
    picks = [{"Bankjes"}, {"Bankjes", "Buurtfeest"}, {"Moestuin", "Bankjes", "Buurtfeest"}]
    seen = set()
    for n, letter in enumerate(north):
        choice = {plans[title].pk: 1 for title in picks[n % 3]}
        services.vote_cast(voting_round=made, typed_code=letter.code, choices=choice)
        seen.add(recount(made).ballots)
    # Not one vote counted on its own: nothing until 40 wait, then a batch of 20 at once.
    assert seen == {0, services.MIX_BATCH}
    assert services.mix_waiting(made) == 45 - services.MIX_BATCH
    # Every sealed vote is as long as any other, whatever was chosen.
    assert len({len(bytes(row.sealed)) for row in SealedBallot.objects.all()}) == 1
    for letter in south:
        services.vote_cast(
            voting_round=made,
            typed_code=letter.code,
            choices={plans["Speeltuin"].pk: 1},
            channel=Ballot.Channel.PAPER,
        )
    services.round_advance(voting_round=made, user=None)  # closed: the online rest
    assert recount(made).per_neighbourhood == [("Oost Noord", 45, 0), ("Oost Zuid", 0, 0)]
    assert services.mix_waiting(made) == 3  # paper ballots come in until the count
    tally = counted(made)
    assert tally.per_neighbourhood == [("Oost Noord", 45, 0), ("Oost Zuid", 0, 3)]
    assert tally.scores[plans["Speeltuin"].pk] == 3 and tally.waiting == 0
    assert not SealedBallot.objects.exists()


def test_a_batch_is_drawn_at_random_from_twice_as_many(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mix, "MIX_BATCH", 3)
    batches = [mix._batches(list(range(10)), closing=False) for _ in range(30)]
    assert all([len(b) for b in found] == [3, 3] for found in batches)  # 4 keep waiting
    # Not the first to come: a vote may wait past several batches.
    assert {tuple(sorted(found[0])) for found in batches} != {(0, 1, 2)}
    # At closing the rest goes too, as one batch of at least MIX_BATCH.
    assert [len(b) for b in mix._batches(list(range(10)), closing=True)] == [3, 3, 4]
    assert [len(b) for b in mix._batches(list(range(2)), closing=True)] == [2]


def test_a_crash_after_the_vote_loses_no_vote_and_gives_no_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(mix, "MIX_BATCH", 2)
    where = place()
    households(where.north, 4)
    made, plans = voting_round(where)
    letters = open_round(made)
    choice = {plans["Bankjes"].pk: 1}

    def crash(**_: object) -> int:
        raise DatabaseError("server gone")

    # The server dies between the vote's transaction and the batch's.
    monkeypatch.setattr(ballots_module, "mix_flush", crash)
    services.vote_cast(voting_round=made, typed_code=letters[0].code, choices=choice)
    assert VotingCode.objects.filter(status=VotingCode.Status.USED).count() == 1
    assert services.mix_waiting(made) == 1  # the confirmed vote is kept, sealed
    with pytest.raises(services.CodeRefused, match="al gestemd"):
        services.vote_cast(voting_round=made, typed_code=letters[0].code, choices=choice)
    monkeypatch.undo()
    monkeypatch.setattr(mix, "MIX_BATCH", 2)

    # The server dies in the middle of writing a batch: all of it is undone, and the
    # votes wait for the next try.
    real = BallotChoice.objects.bulk_create

    def half_written(*args: object, **kwargs: object) -> object:
        raise DatabaseError("server gone")

    monkeypatch.setattr(BallotChoice.objects, "bulk_create", half_written)
    for letter in letters[1:]:
        services.vote_cast(voting_round=made, typed_code=letter.code, choices=choice)
    assert services.mix_waiting(made) == 4 and not Ballot.objects.exists()
    monkeypatch.setattr(BallotChoice.objects, "bulk_create", real)
    assert services.mix_flush(voting_round=made) == 2  # the next vote would do this
    tally = counted(made)
    assert tally.ballots == 4 and tally.scores[plans["Bankjes"].pk] == 4


def test_the_mix_still_opens_after_the_secret_key_changes() -> None:
    where = place()
    households(where.north, 1)
    made, plans = voting_round(where)
    (letter,) = open_round(made)
    services.vote_cast(voting_round=made, typed_code=letter.code, choices={plans["Moestuin"].pk: 1})
    old = settings.SECRET_KEY
    new = "a-new-key-" + "x" * 50
    with (
        override_settings(SECRET_KEY=new, SECRET_KEY_FALLBACKS=[]),
        pytest.raises(ValidationError, match="SECRET_KEY_FALLBACKS"),
    ):
        services.round_advance(voting_round=made, user=None)
    made.refresh_from_db()
    assert made.status == "open" and services.mix_waiting(made) == 1  # nothing lost
    with override_settings(SECRET_KEY=new, SECRET_KEY_FALLBACKS=[old]):
        assert counted(made).scores[plans["Moestuin"].pk] == 1
