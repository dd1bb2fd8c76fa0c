"""Shared makers for the voting tests: a district with two neighbourhoods and households
in both; synthetic data only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from buurtkracht.accounts.models import Role, User
from buurtkracht.core.models import Area
from buurtkracht.voting import services
from buurtkracht.voting.models import Proposal, VotingRound
from buurtkracht.voting.results import Tally, recount
from tests import factories


@dataclass
class Place:
    district: Area
    north: Area
    south: Area


def community_worker() -> User:
    return factories.UserFactory.create(username="opbouwwerker", roles=[Role.COMMUNITY_WORKER])


def place(name: str = "Oost") -> Place:
    district = factories.DistrictFactory.create(name=name)
    return Place(
        district=district,
        north=factories.NeighbourhoodFactory.create(parent=district, name=f"{name} Noord"),
        south=factories.NeighbourhoodFactory.create(parent=district, name=f"{name} Zuid"),
    )


def households(area: Area, n: int, *, born: dt.date = dt.date(1970, 1, 1)) -> None:
    for _ in range(n):
        factories.MembershipFactory.create(
            household__address__neighbourhood=area, person__date_of_birth=born
        )


def voting_round(
    where: Place,
    *,
    ballot_type: str = VotingRound.BallotType.KNAPSACK,
    budget: int = 10_000,
    costs: dict[str, int] | None = None,
    eligibility: str = VotingRound.Eligibility.HOUSEHOLD,
    user: Any = None,
    tokens: int = 10,
) -> tuple[VotingRound, dict[str, Proposal]]:
    today = timezone.localdate()
    made = services.round_create(
        data=services.RoundInput(
            name=f"Bewonersbudget {where.district.name}",
            area=where.district,
            budget=budget,
            opens_on=today - dt.timedelta(days=1),
            closes_on=today + dt.timedelta(days=14),
            eligibility=eligibility,
            ballot_type=ballot_type,
            tokens_per_voter=tokens,
        ),
        user=user,
    )
    costs = costs or {"Bankjes": 3_200, "Speeltuin": 6_000, "Moestuin": 2_500, "Buurtfeest": 800}
    proposals = {
        title: services.proposal_create(
            voting_round=made, title=title, description=f"Plan {title}", cost=cost, user=user
        )
        for title, cost in costs.items()
    }
    return made, proposals


def open_round(made: VotingRound, user: Any = None) -> list[services.Letter]:
    letters = services.codes_generate(voting_round=made, user=user)
    services.round_advance(voting_round=made, user=user)
    return letters


def counted(made: VotingRound) -> Tally:
    """Close and count the round, as the community worker does (the rest of the mix is
    written then), and return the count."""
    made.refresh_from_db()
    while made.status != VotingRound.Status.COUNTED:
        services.round_advance(voting_round=made, user=None)
    return recount(made)
