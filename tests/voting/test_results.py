"""The winner rule, for every ballot type: most first, ties cheaper then by title, skip
what no longer fits, no votes never wins; and the recount from the stored ballots."""

from __future__ import annotations

import pytest

from buurtkracht.voting import services
from buurtkracht.voting.models import Proposal, VotingRound
from buurtkracht.voting.results import recount, winners_compute
from tests.voting.helpers import counted, households, open_round, place, voting_round


def plan(title: str, cost: int) -> Proposal:
    return Proposal(title=title, cost=cost, description="")


def titles(steps: list, *, fits: bool = True) -> list[str]:
    return [s.proposal.title for s in steps if s.fits == fits]


def test_most_votes_first_and_skipping_what_no_longer_fits() -> None:
    a, b, c, d = plan("A", 6_000), plan("B", 5_000), plan("C", 3_000), plan("D", 2_000)
    steps = winners_compute(budget=10_000, scored=[(a, 40), (b, 30), (c, 20), (d, 10)])
    # A fits (4,000 left); B does not and is skipped; C fits (1,000 left); D does not.
    assert titles(steps) == ["A", "C"]
    assert [(s.proposal.title, s.remaining_after) for s in steps] == [
        ("A", 4_000),
        ("B", 4_000),
        ("C", 1_000),
        ("D", 1_000),
    ]
    assert [s.reason for s in steps] == ["won", "too_expensive", "won", "too_expensive"]


def test_ties_go_to_the_cheaper_plan_then_the_title() -> None:
    steps = winners_compute(
        budget=5_000,
        scored=[
            (plan("Zwembad", 3_000), 10),
            (plan("Bankjes", 3_000), 10),
            (plan("Lampen", 2_000), 10),
        ],
    )
    assert [s.proposal.title for s in steps] == ["Lampen", "Bankjes", "Zwembad"]
    assert titles(steps) == ["Lampen", "Bankjes"]


def test_a_plan_without_votes_never_wins() -> None:
    steps = winners_compute(budget=10_000, scored=[(plan("A", 1_000), 3), (plan("B", 100), 0)])
    assert titles(steps) == ["A"]
    assert steps[-1].reason == "no_votes"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ballot_type", "ballots", "expected_scores", "winners"),
    [
        # Approval: any number of plans; ballots per plan.
        (
            VotingRound.BallotType.APPROVAL,
            [{"Speeltuin", "Bankjes"}, {"Speeltuin", "Moestuin"}, {"Speeltuin"}],
            {"Speeltuin": 3, "Bankjes": 1, "Moestuin": 1, "Buurtfeest": 0},
            # Speeltuin 6,000 (4,000 left); tie Moestuin 2,500 before Bankjes 3,200:
            # Moestuin fits (1,500 left), Bankjes no longer does.
            ["Speeltuin", "Moestuin"],
        ),
        # Knapsack: within the budget per ballot; ballots per plan.
        (
            VotingRound.BallotType.KNAPSACK,
            [
                {"Speeltuin", "Bankjes"},
                {"Speeltuin", "Moestuin"},
                {"Bankjes", "Moestuin"},
                {"Moestuin"},
                {"Buurtfeest"},
            ],
            {"Speeltuin": 2, "Bankjes": 2, "Moestuin": 3, "Buurtfeest": 1},
            # Moestuin first (7,500 left); tie on 2: Bankjes (cheaper) before Speeltuin,
            # 4,300 left; Speeltuin no longer fits and is skipped; Buurtfeest still fits.
            ["Moestuin", "Bankjes", "Buurtfeest"],
        ),
        # Tokens: tokens per plan.
        (
            VotingRound.BallotType.TOKENS,
            [{"Buurtfeest": 7, "Moestuin": 3}, {"Buurtfeest": 2, "Speeltuin": 8}],
            {"Speeltuin": 8, "Bankjes": 0, "Moestuin": 3, "Buurtfeest": 9},
            ["Buurtfeest", "Speeltuin", "Moestuin"],
        ),
    ],
)
def test_every_ballot_type_counts_from_the_stored_ballots(
    ballot_type: str, ballots: list, expected_scores: dict[str, int], winners: list[str]
) -> None:
    where = place()
    households(where.north, len(ballots))
    made, plans = voting_round(where, ballot_type=ballot_type)
    letters = open_round(made)
    for letter, choice in zip(letters, ballots, strict=False):
        picked = choice if isinstance(choice, dict) else dict.fromkeys(choice, 1)
        services.vote_cast(
            voting_round=made,
            typed_code=letter.code,
            choices={plans[title].pk: n for title, n in picked.items()},
        )
    # Before closing, three votes are still in the mix: not one is counted on its own.
    assert recount(made).ballots == 0 and services.mix_waiting(made) == len(ballots)
    tally = counted(made)
    assert tally.ballots == len(ballots) and tally.waiting == 0
    assert {plans[t].pk: n for t, n in expected_scores.items()} == tally.scores
    assert [p.title for p in tally.winners] == winners
    assert tally.per_neighbourhood == [("Oost Noord", len(ballots), 0), ("Oost Zuid", 0, 0)]
