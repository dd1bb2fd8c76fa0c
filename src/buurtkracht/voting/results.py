"""Counting. Everything here is computed from the stored ballots every time (the recount):
there are no running counters to drift from what was cast. Votes still waiting in the mix
(services/mix.py) are not ballots yet: they count from the batch that writes them, and
closing and counting the round write them all.

The winner rule, the same for every ballot type (docs/voting.md):

1. Every plan gets a score: the number of ballots that chose it (approval and budget
   ballots) or the number of tokens put on it (tokens ballot).
2. Plans are put in order: highest score first. On a tie, the cheaper plan first (more
   money left for others); on the same cost, alphabetical by title. A plan without any
   vote never wins.
3. Going down that list, a plan wins when its cost fits in what is left of the budget;
   the cost is then taken off. A plan that no longer fits is skipped, and the next one is
   tried: a cheaper plan further down may still fit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum

from buurtkracht.voting.models import Ballot, BallotChoice, Proposal, SealedBallot, VotingRound


@dataclass(frozen=True)
class Step:
    proposal: Proposal
    score: int
    fits: bool
    remaining_before: int
    remaining_after: int
    reason: str  # "won", "too_expensive", "no_votes"


@dataclass
class Tally:
    round: VotingRound
    ballots: int
    scores: dict[int, int]
    per_neighbourhood: list[tuple[str, int, int]]  # name, online, paper
    online: int
    paper: int
    steps: list[Step] = field(default_factory=list)
    waiting: int = 0  # votes in the mix, not in this count yet

    @property
    def winners(self) -> list[Proposal]:
        return [step.proposal for step in self.steps if step.fits]

    @property
    def spent(self) -> int:
        return sum(step.proposal.cost for step in self.steps if step.fits)


def order_key(proposal: Proposal, score: int) -> tuple[int, int, str]:
    return (-score, proposal.cost, proposal.title.casefold())


def winners_compute(*, budget: int, scored: list[tuple[Proposal, int]]) -> list[Step]:
    """The winner rule of the module docstring, one step per plan, so the page can show
    the computation."""
    remaining = budget
    steps: list[Step] = []
    for proposal, score in sorted(scored, key=lambda pair: order_key(*pair)):
        if score <= 0:
            steps.append(Step(proposal, score, False, remaining, remaining, "no_votes"))
            continue
        fits = proposal.cost <= remaining
        after = remaining - proposal.cost if fits else remaining
        steps.append(
            Step(proposal, score, fits, remaining, after, "won" if fits else "too_expensive")
        )
        remaining = after
    return steps


def recount(voting_round: VotingRound) -> Tally:
    """Count the round again from its ballots."""
    proposals = list(voting_round.proposals.select_related("neighbourhood"))
    choices = BallotChoice.objects.filter(ballot__round=voting_round)
    if voting_round.ballot_type == VotingRound.BallotType.TOKENS:
        rows = choices.values("proposal").annotate(score=Sum("tokens"))
    else:
        rows = choices.values("proposal").annotate(score=Count("id"))
    scores = {row["proposal"]: int(row["score"] or 0) for row in rows}
    by_area: dict[str, dict[str, int]] = defaultdict(lambda: {"online": 0, "paper": 0})
    names = {area.pk: area.name for area in voting_round.neighbourhoods()}
    for row in (
        Ballot.objects.filter(round=voting_round)
        .values("neighbourhood", "neighbourhood__name", "channel")
        .annotate(n=Count("id"))
    ):
        name = names.get(row["neighbourhood"], row["neighbourhood__name"])
        by_area[name][row["channel"]] += row["n"]
    for name in names.values():
        by_area[name]  # every neighbourhood of the round, also without votes
    per_neighbourhood = [(name, v["online"], v["paper"]) for name, v in sorted(by_area.items())]
    online = sum(v["online"] for v in by_area.values())
    paper = sum(v["paper"] for v in by_area.values())
    tally = Tally(
        round=voting_round,
        ballots=online + paper,
        scores={p.pk: scores.get(p.pk, 0) for p in proposals},
        per_neighbourhood=per_neighbourhood,
        online=online,
        paper=paper,
        waiting=SealedBallot.objects.filter(round=voting_round).count(),
    )
    tally.steps = winners_compute(
        budget=voting_round.budget, scored=[(p, tally.scores[p.pk]) for p in proposals]
    )
    return tally
