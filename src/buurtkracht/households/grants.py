"""Grants: the one way a worker comes to be involved in a household, and so to read its file.

Involvement (lead worker or co-worker) is the first ground of `visibility.py`. Whoever
makes someone involved grants access to a file, sensitive notes included, so every path
that does — assigning an intake, help accepted after an early signal, a handover, a
merge — goes through `involvement_grant`, which holds only on a ground the team leader or
the team's own setting gives:

- team leader: `by` leads `team` now;
- team: `team` lets its members assign (`Team.members_may_assign`) and `by` works in it.

From the household file itself (`file_grant`, *wie is er nog meer betrokken*), the
household's own lead worker may also add a co-worker from the team and hand over the lead:
they hold the file (één regisseur), so the grant is theirs, on the ground of their
involvement, and it is listed for the team leader like every other.

Anyone else is refused, whatever page they came from. The grant is kept on the
involvement (how, by whom, on what ground, in which team, when) and the team leader's
start page lists the recent ones (`recent_grants`), with the uses of emergency access,
the one way in that nobody grants (it is reviewed afterwards instead).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtkracht.accounts.models import TeamMembership, User
from buurtkracht.accounts.queries import current_teams
from buurtkracht.audit.models import Ground
from buurtkracht.core.models import Team
from buurtkracht.households.models import EmergencyAccess, GrantPath, Household, Involvement
from buurtkracht.notifications.kinds import Kind
from buurtkracht.notifications.services import notify

# How far back the team leader's start page lists grants.
RECENT_DAYS = 14


def grant_ground(*, by: User, team: Team | None) -> str:
    """The ground on which `by` may make someone involved in `team`'s name: team leader
    when they lead it now, team when the team lets members assign and they work in it.
    Refuses everyone else (and a grant without a team)."""
    if team is None:
        raise PermissionDenied("A grant is made in a team's name.")
    if current_teams(by, TeamMembership.Position.TEAM_LEADER).filter(pk=team.pk).exists():
        return Ground.TEAM_LEADER
    if team.members_may_assign and current_teams(by).filter(pk=team.pk).exists():
        return Ground.TEAM
    raise PermissionDenied("Only the team leader, or a member where the team allows it, grants.")


def _grant(
    *,
    ground: str,
    household: Household,
    worker: User,
    kind: str,
    via: str,
    by: User,
    team: Team | None,
    at: dt.datetime | None,
    handover_note: str,
) -> Involvement:
    at = at or timezone.now()
    involvement = Involvement.objects.create(
        household=household,
        worker=worker,
        kind=kind,
        start_date=timezone.localtime(at).date(),
        handover_note=handover_note,
        granted_via=via,
        granted_by=by,
        granted_ground=ground,
        granted_team=team,
        granted_at=at,
    )
    notify(
        recipients=[worker],
        kind=Kind.HOUSEHOLD_ASSIGNED,
        link=reverse("workspace:household", args=[household.pk]),
        key=f"involvement:{involvement.pk}",
        text=gettext_lazy("You are now the lead worker of a household.")
        if kind == Involvement.Kind.LEAD
        else gettext_lazy("You are now a co-worker in a household."),
        actor=by,
    )
    return involvement


def involvement_grant(
    *,
    household: Household,
    worker: User,
    kind: str,
    via: str,
    by: User,
    team: Team | None,
    at: dt.datetime | None = None,
    handover_note: str = "",
) -> Involvement:
    """Make `worker` lead worker or co-worker of `household` (from the day of `at`, now if
    not given), on `by`'s ground in `team` (see `grant_ground`), and keep how it was
    granted. The caller logs the change with its own details."""
    ground = grant_ground(by=by, team=team)
    return _grant(
        ground=ground,
        household=household,
        worker=worker,
        kind=kind,
        via=via,
        by=by,
        team=team,
        at=at,
        handover_note=handover_note,
    )


def is_lead_worker(user: User, household: Household) -> bool:
    """Whether `user` is the household's lead worker today."""
    return (
        Involvement.objects.filter(
            household=household, worker=user, kind=Involvement.Kind.LEAD, end_date__isnull=True
        )
        .filter(start_date__lte=timezone.localdate())
        .exists()
    )


def file_grant_ground(*, by: User, household: Household) -> tuple[str, Team | None]:
    """The ground on which `by` changes who is involved from the household file, and the
    team in whose name: the leader of a team serving the household, or the household's
    lead worker (in a serving team they work in, if any). Refuses everyone else."""
    led = led_team_serving(by, household)
    if led is not None:
        return Ground.TEAM_LEADER, led
    if is_lead_worker(by, household):
        team = (
            current_teams(by)
            .filter(neighbourhoods__addresses__households=household)
            .order_by("pk")
            .first()
        )
        return Ground.INVOLVEMENT, team
    raise PermissionDenied("Only the lead worker or the team leader changes who is involved.")


def file_grant(
    *,
    household: Household,
    worker: User,
    kind: str,
    via: str,
    by: User,
    at: dt.datetime | None = None,
    handover_note: str = "",
) -> Involvement:
    """Make `worker` lead worker or co-worker of `household` from its file, on `by`'s
    ground (see `file_grant_ground`), and keep how it was granted."""
    ground, team = file_grant_ground(by=by, household=household)
    return _grant(
        ground=ground,
        household=household,
        worker=worker,
        kind=kind,
        via=via,
        by=by,
        team=team,
        at=at,
        handover_note=handover_note,
    )


def lead_pass(
    *, household: Household, to: User, by: User, handover_note: str
) -> tuple[Involvement | None, Involvement]:
    """Hand the lead of `household` to `to` in one step, on `by`'s ground from the file
    (see `file_grant_ground`, decided before anything changes): the current lead ends
    yesterday so that their access as lead ends at once, a co-worker involvement of `to`
    ends as well (they now hold the lead), and `to` becomes lead worker with the note.
    Returns the ended (None on a file without a lead) and the new involvement. The
    caller checks and logs."""
    ground, team = file_grant_ground(by=by, household=household)
    today = timezone.localdate()
    current = (
        Involvement.objects.select_for_update()
        .filter(household=household, kind=Involvement.Kind.LEAD, end_date__isnull=True)
        .first()
    )
    yesterday = today - dt.timedelta(days=1)
    if current is not None:
        Involvement.objects.filter(pk=current.pk).update(end_date=yesterday)
        current.end_date = yesterday
    Involvement.objects.filter(
        household=household, worker=to, kind=Involvement.Kind.CO_WORKER
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).update(end_date=yesterday)
    new = _grant(
        ground=ground,
        household=household,
        worker=to,
        kind=Involvement.Kind.LEAD,
        via=GrantPath.HANDOVER,
        by=by,
        team=team,
        at=None,
        handover_note=handover_note,
    )
    return current, new


def involvements_regrant(
    involvements: QuerySet[Involvement], *, via: str, by: User, team: Team | None
) -> int:
    """Involvements that move to another file (a merge) are a grant to that file: record
    it as such, on `by`'s ground in `team`. Returns how many."""
    ground = grant_ground(by=by, team=team)
    return involvements.update(
        granted_via=via,
        granted_by=by,
        granted_ground=ground,
        granted_team=team,
        granted_at=timezone.now(),
    )


def led_team_serving(leader: User, household: Household) -> Team | None:
    """A team `leader` leads now that serves `household`'s neighbourhood, if any."""
    return (
        current_teams(leader, TeamMembership.Position.TEAM_LEADER)
        .filter(neighbourhoods__addresses__households=household)
        .order_by("pk")
        .first()
    )


@dataclass(frozen=True)
class Grant:
    """One line of the team leader's list: who got access to which file, how, by whom."""

    at: dt.datetime
    worker: User
    household: Household
    role: str
    path: str
    by: User | None
    ground: str


def _ground_label(ground: str) -> str:
    labels: dict[str, str] = {
        Ground.TEAM_LEADER: _("as team leader"),
        Ground.TEAM: _("on the team's setting: members may assign"),
        Ground.INVOLVEMENT: _("as the household's lead worker"),
        Ground.EMERGENCY: _("emergency access, reviewed afterwards"),
    }
    return labels.get(ground, _("recorded before grants were kept"))


def recent_grants(leader: User, days: int = RECENT_DAYS) -> list[Grant]:
    """What the team leader sees of the last `days` days: every involvement granted in a
    team they lead now or on a household in their teams' neighbourhoods, and every use of
    emergency access on such a household; newest first. Two queries."""
    led = current_teams(leader, TeamMembership.Position.TEAM_LEADER)
    since = timezone.now() - dt.timedelta(days=days)
    ours = Q(household__address__neighbourhood__teams__in=led)
    involvements = (
        Involvement.objects.filter(ours | Q(granted_team__in=led))
        .filter(
            Q(granted_at__gte=since)
            | Q(granted_at__isnull=True, start_date__gte=timezone.localdate(since))
        )
        .select_related("worker", "granted_by", "household__address")
        .distinct()
    )
    lines = [
        Grant(
            at=i.granted_at
            or timezone.make_aware(dt.datetime.combine(i.start_date, dt.time(0, 0))),
            worker=i.worker,
            household=i.household,
            role=i.get_kind_display(),
            path=i.get_granted_via_display() if i.granted_via else "",
            by=i.granted_by,
            ground=_ground_label(i.granted_ground),
        )
        for i in involvements
    ]
    accesses = (
        EmergencyAccess.objects.filter(ours, started_at__gte=since)
        .select_related("worker", "household__address")
        .distinct()
    )
    lines += [
        Grant(
            at=a.started_at,
            worker=a.worker,
            household=a.household,
            role=_("emergency access"),
            path=_("emergency access"),
            by=a.worker,
            ground=_ground_label(Ground.EMERGENCY),
        )
        for a in accesses
    ]
    return sorted(lines, key=lambda g: g.at, reverse=True)


__all__ = [
    "RECENT_DAYS",
    "Grant",
    "GrantPath",
    "file_grant",
    "file_grant_ground",
    "grant_ground",
    "involvement_grant",
    "involvements_regrant",
    "is_lead_worker",
    "lead_pass",
    "led_team_serving",
    "recent_grants",
]
