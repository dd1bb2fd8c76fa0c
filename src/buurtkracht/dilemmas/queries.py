"""Reads on the dilemma log. A dilemma, a meeting and their themes belong to one team
and are read by its current members only (workers and team leaders); for anyone else
they do not exist (404). Each read is a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncQuarter
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.accounts.models import Role, TeamMembership, User
from buurtkracht.accounts.queries import current_teams
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.core.disclosure import published, published_sum
from buurtkracht.core.models import Team
from buurtkracht.dilemmas.models import AgendaItem, Dilemma, ReflectionMeeting, Value

TEAM_ROLES = (Role.WORKER, Role.TEAM_LEADER)
# How many quarters the themes page shows, the current one included.
THEME_QUARTERS = 4


def member_teams(user: User) -> QuerySet[Team]:
    """The teams whose dilemma log the user reads and writes: the teams they work in
    today, as a worker or team leader. None for every other role."""
    if not user.is_authenticated or not any(user.has_role(role) for role in TEAM_ROLES):
        return Team.objects.none()
    return current_teams(user).order_by("name", "pk")


def led_teams(user: User) -> QuerySet[Team]:
    """The teams whose themes the user sees: those they lead today."""
    if not user.is_authenticated or not user.has_role(Role.TEAM_LEADER):
        return Team.objects.none()
    return current_teams(user, TeamMembership.Position.TEAM_LEADER).order_by("name", "pk")


def _with_tags(dilemmas: QuerySet[Dilemma]) -> QuerySet[Dilemma]:
    return dilemmas.select_related("team", "written_by").prefetch_related("tags")


def team_dilemmas(teams: QuerySet[Team], status: str = "") -> QuerySet[Dilemma]:
    """The dilemmas of these teams, open ones first, newest first. Two queries."""
    dilemmas = Dilemma.objects.filter(team__in=teams)
    if status:
        dilemmas = dilemmas.filter(status=status)
    return _with_tags(dilemmas).order_by("status", "-written_at", "-pk")


def dilemma_for(user: User, pk: int) -> Dilemma:
    """A dilemma of one of the user's teams, or a 404."""
    dilemma = _with_tags(Dilemma.objects.filter(pk=pk, team__in=member_teams(user))).first()
    if dilemma is None:
        raise Http404
    return dilemma


def dilemma_history(dilemma: Dilemma) -> QuerySet[AgendaItem]:
    """The meetings that discussed the dilemma, with what was learnt, latest first."""
    return (
        AgendaItem.objects.filter(dilemma=dilemma)
        .select_related("meeting", "recorded_by")
        .order_by("-meeting__held_on", "-meeting__starts_at", "-pk")
    )


def team_meetings(teams: QuerySet[Team]) -> QuerySet[ReflectionMeeting]:
    """The reflection meetings of these teams, latest first, with how many dilemmas are
    on each agenda. One query."""
    return (
        ReflectionMeeting.objects.filter(team__in=teams)
        .select_related("team")
        .annotate(item_count=Count("items"))
        .order_by("-held_on", "-starts_at", "-pk")
    )


def upcoming_meetings(teams: QuerySet[Team]) -> QuerySet[ReflectionMeeting]:
    """Meetings from today on, first one first: where a dilemma can still be put."""
    return (
        ReflectionMeeting.objects.filter(team__in=teams, held_on__gte=timezone.localdate())
        .select_related("team")
        .order_by("held_on", "starts_at", "pk")
    )


def meeting_for(user: User, pk: int) -> ReflectionMeeting:
    """A meeting of one of the user's teams with its agenda, or a 404."""
    items = AgendaItem.objects.select_related("dilemma", "recorded_by").prefetch_related(
        "dilemma__tags"
    )
    meeting = (
        ReflectionMeeting.objects.filter(pk=pk, team__in=member_teams(user))
        .select_related("team", "planned_by")
        .prefetch_related(Prefetch("items", queryset=items))
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def agenda_item_for(user: User, pk: int) -> AgendaItem:
    """An agenda item of a meeting of one of the user's teams, or a 404."""
    item = (
        AgendaItem.objects.filter(pk=pk, meeting__team__in=member_teams(user))
        .select_related("meeting__team", "dilemma", "recorded_by")
        .first()
    )
    if item is None:
        raise Http404
    return item


# --- Themes over time ------------------------------------------------------------------


def quarter_of(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def last_quarters(today: dt.date, n: int = THEME_QUARTERS) -> list[dt.date]:
    """The first days of the last `n` quarters, oldest first, the current one last."""
    first = quarter_of(today)
    quarters = []
    year, month = first.year, first.month
    for _step in range(n):
        quarters.append(dt.date(year, month, 1))
        month -= 3
        if month < 1:
            month += 12
            year -= 1
    return list(reversed(quarters))


@dataclass
class ThemeRow:
    value: str
    label: str
    cells: list[int]
    total: int


@dataclass
class ThemeTable:
    """Counts of value tags per quarter for one team (or all of a leader's teams), every
    figure rounded to base 5 (decision 0009): themes, never persons."""

    title: str
    quarters: list[dt.date]
    rows: list[ThemeRow] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)
    grand_total: int = 0

    @property
    def quarter_labels(self) -> list[str]:
        """Each quarter as "2027 Q1"."""
        return [f"{q.year} Q{(q.month - 1) // 3 + 1}" for q in self.quarters]


def _table(
    title: str, quarters: list[dt.date], counts: dict[tuple[str, dt.date], int]
) -> ThemeTable:
    table = ThemeTable(title=title, quarters=quarters)
    for value, label in Value.choices:
        cells = [published(counts.get((value, quarter), 0)) for quarter in quarters]
        table.rows.append(
            ThemeRow(value=value, label=str(label), cells=cells, total=published_sum(cells))
        )
    table.totals = [published_sum(row.cells[i] for row in table.rows) for i in range(len(quarters))]
    table.grand_total = published_sum(table.totals)
    return table


def theme_tables(teams: list[Team], today: dt.date | None = None) -> list[ThemeTable]:
    """Per team, and for several teams also all together, how often each value was at
    stake in the dilemmas written per quarter. One query, whatever the number of teams.

    The all-teams table counts the true totals and rounds them (the same rule as any
    other figure), so it is not the sum of the team tables above it."""
    quarters = last_quarters(today or timezone.localdate())
    rows: Any = (
        Dilemma.objects.filter(team__in=teams, written_at__date__gte=quarters[0])
        .annotate(quarter=TruncQuarter("written_at"))
        .values("team_id", "quarter", "tags__value")
        .annotate(n=Count("tags", filter=Q(tags__isnull=False)))
    )
    per_team: dict[int, Counter[tuple[str, dt.date]]] = {team.pk: Counter() for team in teams}
    together: Counter[tuple[str, dt.date]] = Counter()
    for row in rows:
        if not row["tags__value"]:
            continue
        quarter = row["quarter"]
        if isinstance(quarter, dt.datetime):
            quarter = (
                timezone.localtime(quarter).date() if timezone.is_aware(quarter) else quarter.date()
            )
        key = (row["tags__value"], quarter)
        per_team[row["team_id"]][key] += row["n"]
        together[key] += row["n"]
    tables = [_table(team.name, quarters, per_team[team.pk]) for team in teams]
    if len(teams) > 1:
        tables.insert(0, _table(_("All your teams"), quarters, together))
    return tables


# --- Mijn werk ---------------------------------------------------------------------------


def my_work_section(request: AuthenticatedRequest) -> dict[str, Any]:
    """For a worker or team leader: how many dilemmas of their teams are open and the
    next reflection meeting, when there is either. Operational, not a statistic: exact.
    Two queries (none for other roles); the menu leads to the log in any case."""
    user = request.user
    if not any(user.has_role(role) for role in TEAM_ROLES):
        return {}
    teams = member_teams(user)
    open_dilemmas = Dilemma.objects.filter(team__in=teams, status=Dilemma.Status.OPEN).count()
    next_meeting = upcoming_meetings(teams).first()
    if not open_dilemmas and next_meeting is None:
        return {}
    return {"shown": True, "open_dilemmas": open_dilemmas, "next_meeting": next_meeting}
