"""Reads of case conferences and precedents, each a fixed number of queries.

Who opens a conference: its participants (the chair among them) and the leaders of its
team. Which cases they read by name, and on what ground, is decided in the visibility
module (`households.visibility.conference_grounds`); the rest they read anonymised."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from buurtkracht.accounts.models import Role, TeamMembership, User
from buurtkracht.accounts.queries import current_teams
from buurtkracht.casework.models import Action
from buurtkracht.conferences.models import Case, Conference, Precedent
from buurtkracht.core.models import Team
from buurtkracht.core.queries import in_force
from buurtkracht.households.models import Household, Membership
from buurtkracht.households.visibility import conference_grounds, household_grounds

if TYPE_CHECKING:
    from buurtkracht.accounts.types import AuthenticatedRequest

# Who organises and chairs conferences, and searches precedents.
TEAM_ROLES = frozenset({Role.WORKER, Role.TEAM_LEADER})
# Who can have conferences at all: the team and the partners' staff.
CONFERENCE_ROLES = TEAM_ROLES | {Role.OUTSIDE_PROFESSIONAL}
PRECEDENTS_SHOWN = 50
MY_WORK_SHOWN = 5
RECENT_DAYS = 14


def may_schedule(user: User, team: Team | None = None) -> bool:
    """A worker or team leader schedules conferences of a team they work in now."""
    if not user.role_set & TEAM_ROLES:
        return False
    teams = current_teams(user)
    return teams.filter(pk=team.pk).exists() if team is not None else teams.exists()


def may_search_precedents(user: User) -> bool:
    return bool(user.role_set & TEAM_ROLES)


def participant_choices(team: Team | QuerySet[Team]) -> QuerySet[User]:
    """Who may take part: the team's members now (of any of the teams given), and the
    outside professionals of partner organisations (staff with that role)."""
    teams = Team.objects.filter(pk=team.pk) if isinstance(team, Team) else team
    members = TeamMembership.objects.filter(in_force(), team__in=teams).values("user_id")
    outside = User.objects.filter(role_grants__role=Role.OUTSIDE_PROFESSIONAL).values("pk")
    return (
        User.objects.filter(Q(pk__in=members) | Q(pk__in=outside), is_active=True)
        .select_related("organisation")
        .order_by("first_name", "last_name", "username")
    )


def conferences_for(user: User) -> QuerySet[Conference]:
    """The conferences `user` opens: those they take part in, and those of teams they lead."""
    if not user.role_set & CONFERENCE_ROLES:
        return Conference.objects.none()
    led = current_teams(user, TeamMembership.Position.TEAM_LEADER)
    return (
        Conference.objects.filter(Q(participants=user) | Q(team__in=led))
        .distinct()
        .select_related("team", "chair")
    )


@dataclass
class AgendaItem:
    case: Case
    named: bool
    ground: str | None
    household: Household | None  # only when named
    members: list[Membership] = field(default_factory=list)


@dataclass
class Agenda:
    conference: Conference
    items: list[AgendaItem]
    participants: list[User]

    def looks(self) -> dict[str, list[int]]:
        """Per ground, the residents this agenda names to its reader."""
        per_ground: dict[str, list[int]] = {}
        for item in self.items:
            if item.named and item.ground:
                per_ground.setdefault(item.ground, []).extend(m.person_id for m in item.members)
        return per_ground


def one_per_person(memberships: list[Membership]) -> list[Membership]:
    """A resident listed once, even with two memberships in force (a correction)."""
    seen: dict[int, Membership] = {}
    for membership in memberships:
        seen.setdefault(membership.person_id, membership)
    return list(seen.values())


def agenda_for(user: User, conference: Conference) -> Agenda:
    """The agenda and minutes as `user` may read them: each case named or anonymised."""
    today = timezone.localdate()
    cases = list(
        conference.cases.select_related("household__address", "precedent")
        .prefetch_related(
            Prefetch(
                "household__memberships",
                queryset=Membership.objects.filter(in_force(today)).select_related("person"),
                to_attr="current",
            ),
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("owner_worker").order_by("pk"),
                to_attr="decided_actions",
            ),
        )
        .order_by("added_at", "pk")
    )
    households = [case.household for case in cases]
    grounds = conference_grounds(user, households, on=today)
    items = []
    for case in cases:
        ground = grounds.get(case.household_id)
        named = ground is not None
        items.append(
            AgendaItem(
                case=case,
                named=named,
                ground=ground,
                household=case.household if named else None,
                members=one_per_person(getattr(case.household, "current", [])) if named else [],
            )
        )
    participants = list(
        conference.participants.select_related("organisation").order_by("first_name", "pk")
    )
    return Agenda(conference=conference, items=items, participants=participants)


def case_named_ground(user: User, case: Case) -> str | None:
    return conference_grounds(user, [case.household]).get(case.household_id)


def precedents_search(
    *, words: str = "", domain: str = "", limit: int = PRECEDENTS_SHOWN
) -> list[Precedent]:
    """Precedents by word and life domain, newest or best first. On PostgreSQL a Dutch
    full-text search (so "schuld" finds "schulden"); elsewhere each word in any field."""
    found = Precedent.objects.all()
    if domain:
        found = found.filter(domain=domain)
    words = words.strip()
    if words and connection.vendor == "postgresql":
        vector = SearchVector(
            "title", "situation", "consideration", "decision", "principle", config="dutch"
        )
        query = SearchQuery(words, config="dutch", search_type="websearch")
        found = (
            found.annotate(rank=SearchRank(vector, query))
            .filter(rank__gt=0)
            .order_by("-rank", "-recorded_at")
        )
    elif words:
        for word in words.split():
            found = found.filter(
                Q(title__icontains=word)
                | Q(situation__icontains=word)
                | Q(consideration__icontains=word)
                | Q(decision__icontains=word)
                | Q(principle__icontains=word)
            )
    return list(found[:limit])


def precedent_source(user: User, precedent: Precedent) -> int | None:
    """The household a precedent came from, only for a user who may read its file."""
    case = precedent.case
    if case is None:
        return None
    household = Household.objects.filter(pk=case.household_id).first()
    if household is None:
        return None
    return household.pk if household_grounds(user, [household]) else None


def my_work_section(request: AuthenticatedRequest) -> dict[str, Any]:
    """The conferences of the last two weeks and those coming up, for a worker, team leader
    or outside professional, on Mijn werk: date, place and kind only, no case (the minutes
    of a recent one are worth a look). One query."""
    user = request.user
    if not user.role_set & CONFERENCE_ROLES:
        return {}
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    coming = list(
        conferences_for(user)
        .filter(starts_at__gte=since)
        .order_by("starts_at", "pk")[:MY_WORK_SHOWN]
    )
    outside = user.has_role(Role.OUTSIDE_PROFESSIONAL)
    if not coming and not outside:
        return {}
    return {"shown": True, "conferences": coming, "outside": outside}
