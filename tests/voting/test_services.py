"""Codes, letters, votes: eligibility from the register, only hashes kept, code misuse,
ballot rules, paper ballots per neighbourhood, and the secrecy of the ballot."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from buurtkracht.audit.models import AuditEvent
from buurtkracht.voting import services
from buurtkracht.voting.codes import ALPHABET, code_hash
from buurtkracht.voting.models import Ballot, BallotChoice, VotingCode, VotingRound
from buurtkracht.voting.results import recount
from tests import factories
from tests.voting.helpers import counted, households, open_round, place, voting_round

pytestmark = pytest.mark.django_db


def test_one_code_per_household_in_the_district_and_only_its_hash_is_kept() -> None:
    where = place()
    households(where.north, 3)
    households(where.south, 2)
    households(place("West").north, 4)  # another district: no letter
    made, _ = voting_round(where)
    letters = services.codes_generate(voting_round=made)
    assert len(letters) == 5
    assert (
        sorted(letter.neighbourhood for letter in letters) == ["Oost Noord"] * 3 + ["Oost Zuid"] * 2
    )
    for letter in letters:
        assert len(letter.code) == 10 and set(letter.code) <= set(ALPHABET)
        assert not set(letter.code) & set("0O1I")
    stored = VotingCode.objects.filter(round=made)
    assert sorted(stored.values_list("code_hash", flat=True)) == sorted(
        code_hash(letter.code) for letter in letters
    )
    every_value = " ".join(str(v) for row in stored.values_list() for v in row)
    assert not any(letter.code in every_value for letter in letters)
    with pytest.raises(ValidationError):
        services.codes_generate(voting_round=made)  # once per round


def test_per_resident_from_16_with_coarse_age_groups() -> None:
    where = place()
    made, _ = voting_round(where, eligibility=VotingRound.Eligibility.RESIDENT_16)
    opens = made.opens_on
    household = factories.HouseholdFactory.create(address__neighbourhood=where.north)
    for born in (
        opens.replace(year=opens.year - 40),
        opens.replace(year=opens.year - 16),
        opens.replace(year=opens.year - 12),  # too young
        opens.replace(year=opens.year - 70),
    ):
        factories.MembershipFactory.create(household=household, person__date_of_birth=born)
    letters = services.codes_generate(voting_round=made)
    assert len(letters) == 3
    assert sorted(VotingCode.objects.values_list("age_group", flat=True)) == [
        "16-17",
        "35-64",
        "65+",
    ]


def test_first_time_is_known_from_an_earlier_round_without_storing_who() -> None:
    where = place()
    households(where.north, 2)
    earlier, plans = voting_round(where)
    letters = open_round(earlier)
    services.vote_cast(
        voting_round=earlier, typed_code=letters[0].code, choices={plans["Bankjes"].pk: 1}
    )
    later, _ = voting_round(where)
    VotingRound.objects.filter(pk=later.pk).update(
        opens_on=earlier.opens_on + dt.timedelta(days=300)
    )
    later.refresh_from_db()
    services.codes_generate(voting_round=later)
    assert sorted(later.codes.values_list("first_time", flat=True)) == [False, True]


def test_a_code_votes_once() -> None:
    where = place()
    households(where.north, 1)
    made, plans = voting_round(where)
    (letter,) = open_round(made)
    services.vote_cast(voting_round=made, typed_code=letter.code, choices={plans["Bankjes"].pk: 1})
    with pytest.raises(services.CodeRefused, match="al gestemd"):
        services.vote_cast(
            voting_round=made, typed_code=letter.code, choices={plans["Moestuin"].pk: 1}
        )
    assert services.mix_waiting(made) == 1 and not Ballot.objects.exists()
    assert VotingCode.objects.get().status == VotingCode.Status.USED
    assert counted(made).ballots == 1


def test_a_blocked_code_cannot_vote_by_code_or_by_letter_number() -> None:
    where = place()
    households(where.north, 2)
    made, plans = voting_round(where)
    first, second = open_round(made)
    services.code_block(voting_round=made, code=first.code.lower(), user=None)
    services.code_block(voting_round=made, letter_number=second.letter_number, user=None)
    for letter in (first, second):
        with pytest.raises(services.CodeRefused, match="geblokkeerd"):
            services.vote_cast(
                voting_round=made, typed_code=letter.code, choices={plans["Bankjes"].pk: 1}
            )
    assert not Ballot.objects.exists() and not services.mix_waiting(made)


def test_a_code_of_another_round_or_district_and_malformed_or_unknown_codes() -> None:
    oost, west = place("Oost"), place("West")
    households(oost.north, 1)
    households(west.north, 1)
    round_oost, plans = voting_round(oost)
    round_west, _ = voting_round(west)
    open_round(round_oost)
    (west_letter,) = open_round(round_west)
    choice = {plans["Bankjes"].pk: 1}
    with pytest.raises(services.CodeRefused, match="andere stemronde"):
        services.vote_cast(voting_round=round_oost, typed_code=west_letter.code, choices=choice)
    with pytest.raises(services.CodeRefused, match="10 letters en cijfers"):
        services.vote_cast(voting_round=round_oost, typed_code="ABC-0O1I", choices=choice)
    with pytest.raises(services.CodeRefused, match="niet goed"):
        services.vote_cast(voting_round=round_oost, typed_code="ABCDE-FGHJK", choices=choice)
    assert VotingCode.objects.filter(status=VotingCode.Status.UNUSED).count() == 2


def test_ballot_rules_per_type() -> None:
    where = place()
    knapsack, k = voting_round(where)
    with pytest.raises(ValidationError, match="meer dan het budget"):
        services.ballot_validate(
            voting_round=knapsack,
            choices={k["Speeltuin"].pk: 1, k["Bankjes"].pk: 1, k["Moestuin"].pk: 1},
        )
    with pytest.raises(ValidationError, match="minstens één"):
        services.ballot_validate(voting_round=knapsack, choices={})
    tokens, t = voting_round(place("West"), ballot_type=VotingRound.BallotType.TOKENS, tokens=10)
    with pytest.raises(ValidationError, match="u hebt 10 munten"):
        services.ballot_validate(
            voting_round=tokens, choices={t["Bankjes"].pk: 6, t["Moestuin"].pk: 5}
        )
    with pytest.raises(ValidationError, match="niet bij deze stemronde"):
        services.ballot_validate(voting_round=tokens, choices={k["Bankjes"].pk: 1})
    assert services.ballot_validate(
        voting_round=tokens, choices={t["Bankjes"].pk: 10, t["Moestuin"].pk: 0}
    ) == {t["Bankjes"].pk: 10}


def test_closed_rounds_take_paper_ballots_until_counted_and_count_per_neighbourhood() -> None:
    where = place()
    households(where.north, 1)
    households(where.south, 2)
    made, plans = voting_round(where)
    letters = open_round(made)
    south = [letter for letter in letters if letter.neighbourhood == "Oost Zuid"]
    north = [letter for letter in letters if letter.neighbourhood == "Oost Noord"]
    services.vote_cast(
        voting_round=made, typed_code=north[0].code, choices={plans["Bankjes"].pk: 1}
    )
    services.round_advance(voting_round=made, user=None)  # closed: the online votes are written
    assert recount(made).per_neighbourhood == [("Oost Noord", 1, 0), ("Oost Zuid", 0, 0)]
    with pytest.raises(services.CodeRefused, match="kan niet meer"):
        services.vote_cast(
            voting_round=made, typed_code=south[0].code, choices={plans["Bankjes"].pk: 1}
        )
    for letter in south:
        services.vote_cast(
            voting_round=made,
            typed_code=letter.code,
            choices={plans["Moestuin"].pk: 1},
            channel=Ballot.Channel.PAPER,
        )
    assert services.mix_waiting(made) == 2  # paper ballots wait until the count
    tally = counted(made)
    assert tally.per_neighbourhood == [("Oost Noord", 1, 0), ("Oost Zuid", 0, 2)]
    with pytest.raises(services.CodeRefused):
        services.vote_cast(
            voting_round=made,
            typed_code=south[0].code,
            choices={plans["Bankjes"].pk: 1},
            channel=Ballot.Channel.PAPER,
        )


def test_the_ballot_has_no_link_to_a_code_and_no_time() -> None:
    for model in (Ballot, BallotChoice):
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            assert related is not VotingCode, f"{model.__name__}.{field.name} links a code"
            assert not isinstance(field, models.DateField | models.DateTimeField | models.TimeField)
            if related is not None:
                assert related._meta.label in {
                    "voting.VotingRound",
                    "voting.Proposal",
                    "voting.Ballot",
                    "voting.BallotChoice",
                    "core.Area",
                }, f"{model.__name__}.{field.name}"
        pk = model._meta.pk
        assert isinstance(pk, models.UUIDField), "a counting id would tell the order of voting"
    # Nor the other way round: a code knows no ballot.
    assert all(
        getattr(field, "related_model", None) not in (Ballot, BallotChoice)
        for field in VotingCode._meta.get_fields()
    )


def test_after_voting_codes_and_ballots_cannot_be_joined() -> None:
    where = place()
    households(where.north, 3)
    made, plans = voting_round(where)
    letters = open_round(made)
    for letter, title in zip(letters, ["Bankjes", "Moestuin", "Speeltuin"], strict=True):
        services.vote_cast(voting_round=made, typed_code=letter.code, choices={plans[title].pk: 1})
    counted(made)
    # What is shared between a used code and a ballot is the round and the neighbourhood:
    # all three codes and all three ballots alike.
    codes = set(VotingCode.objects.values_list("round", "neighbourhood", "status"))
    ballots = set(Ballot.objects.values_list("round", "neighbourhood"))
    assert codes == {(made.pk, where.north.pk, "used")} and ballots == {(made.pk, where.north.pk)}
    ballot_values = {str(pk) for pk in Ballot.objects.values_list("id", flat=True)} | {
        str(pk) for pk in BallotChoice.objects.values_list("id", flat=True)
    }
    code_values = {
        str(v)
        for row in VotingCode.objects.values_list("code_hash", "letter_number", "participant_key")
        for v in row
    }
    assert not ballot_values & code_values


def test_the_letters_command_writes_the_zip_once(tmp_path: Path) -> None:
    where = place()
    households(where.north, 2)
    made, _ = voting_round(where)
    target = tmp_path / "brieven.zip"
    call_command("voting_letters", str(made.pk), str(target), url="https://example.org/stemmen/")
    names = zipfile.ZipFile(target).namelist()
    assert names == ["brieven.pdf", "postverwerker.csv"]
    assert VotingCode.objects.filter(round=made).count() == 2
    with pytest.raises(CommandError):
        call_command("voting_letters", str(made.pk), str(tmp_path / "again.zip"), url="x")


def test_letters_made_again_before_opening_make_the_earlier_codes_useless() -> None:
    where = place()
    households(where.north, 3)
    made, _ = voting_round(where)
    lost = services.codes_generate(voting_round=made)
    again = services.codes_generate(voting_round=made, again=True)
    assert len(again) == 3
    # Numbered on: no old letter's number names a new letter.
    assert [letter.letter_number for letter in lost] == [1, 2, 3]
    assert [letter.letter_number for letter in again] == [4, 5, 6]
    assert sorted(VotingCode.objects.filter(round=made).values_list("code_hash", flat=True)) == (
        sorted(code_hash(letter.code) for letter in again)
    )
    services.round_advance(voting_round=made, user=None)
    with pytest.raises(services.CodeRefused):
        services.code_check(voting_round=made, typed=lost[0].code)
    assert services.code_check(voting_round=made, typed=again[0].code).letter_number == 4
    entry = AuditEvent.objects.filter(action="print").order_by("-pk").first()
    assert entry is not None and entry.details["codes_made_invalid"] == 3


def test_letters_cannot_be_made_again_once_the_round_is_open() -> None:
    where = place()
    households(where.north, 2)
    made, _ = voting_round(where)
    first = open_round(made)
    with pytest.raises(ValidationError):
        services.codes_generate(voting_round=made, again=True)
    assert VotingCode.objects.filter(round=made).count() == len(first)


def test_the_letters_command_makes_them_again_when_asked(tmp_path: Path) -> None:
    where = place()
    households(where.north, 2)
    made, _ = voting_round(where)
    call_command("voting_letters", str(made.pk), str(tmp_path / "a.zip"), url="x")
    call_command("voting_letters", str(made.pk), str(tmp_path / "b.zip"), url="x", again=True)
    assert sorted(
        VotingCode.objects.filter(round=made).values_list("letter_number", flat=True)
    ) == [
        3,
        4,
    ]
