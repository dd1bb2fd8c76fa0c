"""The democratic-quality view (issue 8): who took part, next to who made the plans.
Turnout per neighbourhood and age group, first-time participants, online and paper.
Counts of voters are about people, so they are published as every figure is: rounded to
base 5, totals and turnout from the rounded numbers (core.disclosure, through
outcomes.suppression). The number of letters sent is shown as it is."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from buurtkracht.initiatives.models import Initiative
from buurtkracht.outcomes.suppression import Cell, share, single, suppress
from buurtkracht.voting.models import Ballot, VotingCode, VotingRound


@dataclass(frozen=True)
class Line:
    label: str
    letters: int
    voted: Cell
    turnout: float | None


@dataclass(frozen=True)
class Quality:
    by_neighbourhood: list[Line]
    by_age: list[Line]
    total: Line
    first_time: Cell
    first_time_share: float | None
    online: Cell
    paper: Cell
    initiators: int


def _lines(rows: list[tuple[str, int, int]]) -> tuple[list[Line], Line]:
    """rows: label, letters, voted. Voted and not-voted form a table, so that a hidden cell
    cannot be worked out from the letters sent."""
    table = suppress([[voted, letters - voted] for _, letters, voted in rows])
    lines = [
        Line(label, letters, table.cells[i][0], share(table.cells[i][0], single(letters)))
        for i, (label, letters, _) in enumerate(rows)
    ]
    letters = sum(r[1] for r in rows)
    voted = table.column_totals[0] if rows else single(0)
    return lines, Line("", letters, voted, share(voted, single(letters)))


def quality_of(voting_round: VotingRound) -> Quality:
    codes = VotingCode.objects.filter(round=voting_round)
    used = Q(status=VotingCode.Status.USED)
    per_area = {
        row["neighbourhood__name"]: (row["letters"], row["voted"])
        for row in codes.values("neighbourhood__name").annotate(
            letters=Count("id"), voted=Count("id", filter=used)
        )
    }
    by_neighbourhood, total = _lines([(name, *per_area[name]) for name in sorted(per_area)])
    ages: dict[str, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for row in codes.values("age_group").annotate(
        letters=Count("id"), voted=Count("id", filter=used)
    ):
        ages[row["age_group"]] = (row["letters"], row["voted"])
    labels = dict(VotingCode.AgeGroup.choices)
    by_age, _ = _lines(
        [
            (str(labels[group]), *ages[group])
            for group in VotingCode.AgeGroup.values
            if group in ages
        ]
    )
    first = single(codes.filter(used, first_time=True).count())
    channels = dict(
        Ballot.objects.filter(round=voting_round)
        .values_list("channel")
        .annotate(n=Count("id"))
        .values_list("channel", "n")
    )
    return Quality(
        by_neighbourhood=by_neighbourhood,
        by_age=by_age,
        total=total,
        first_time=first,
        first_time_share=share(first, total.voted),
        online=single(channels.get(Ballot.Channel.ONLINE, 0)),
        paper=single(channels.get(Ballot.Channel.PAPER, 0)),
        initiators=known_initiators(voting_round),
    )


# How far back the resident initiatives count as "known initiators" of a round's area.
VANGUARD_YEARS = 3


def known_initiators(voting_round: VotingRound) -> int:
    """The vanguard next to the voters: how many different initiators (by e-mail address,
    else by name) sent in resident initiatives in the round's neighbourhoods from three
    years before the round up to its closing day. The number typed with the round counts
    when the register holds none (rounds from before initiatives were registered here)."""
    since = voting_round.opens_on - dt.timedelta(days=round(365.25 * VANGUARD_YEARS))
    people = {
        (email or "").strip().lower() or " ".join(name.split()).lower()
        for email, name in Initiative.objects.filter(
            neighbourhood__in=voting_round.neighbourhoods(),
            created_at__date__gte=since,
            created_at__date__lte=voting_round.closes_on,
        ).values_list("contact_email", "contact_name")
    }
    return len(people) or voting_round.known_initiators
