"""The team leader's week in the demo: in Team Oost one worker is away (leave, from two
days ago until nine days on), with a review and an action of theirs falling due meanwhile,
so `teamleider` can move them to a colleague on the team view; and one household whose
plan runs but whose lead worker's involvement was ended without a handover, so the list
"households without a lead worker" has one. The waiting intakes come from the casework
story. Dates are counted from today (demo/clock.py, docs/time.md)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from buurtkracht.accounts.models import Absence, TeamMembership, User
from buurtkracht.accounts.services import absence_record
from buurtkracht.casework.models import Goal, Plan, Step
from buurtkracht.casework.services import action_add, goal_add
from buurtkracht.core.models import Team
from buurtkracht.core.queries import in_force
from buurtkracht.demo.staff import HOME_TEAM
from buurtkracht.households.models import Involvement

AWAY_SINCE_DAYS = 2
BACK_AFTER_DAYS = 9


@transaction.atomic
def team_week_demo_create() -> dict[str, int]:
    """One absent worker with due work, one household without a lead; counts made."""
    leader = User.objects.filter(username="teamleider").first()
    team = Team.objects.filter(name=HOME_TEAM).first()
    if leader is None or team is None:
        return {}
    today = timezone.localdate()
    areas = list(team.neighbourhoods.values_list("pk", flat=True))
    members = (
        TeamMembership.objects.filter(team=team, position=TeamMembership.Position.WORKER)
        .filter(in_force(today))
        .exclude(user__username__in=["wijkwerker", "collega"])
        .values("user_id")
    )
    leads = (
        Involvement.objects.filter(
            kind=Involvement.Kind.LEAD,
            end_date__isnull=True,
            worker__in=members,
            household__address__neighbourhood_id__in=areas,
            household__plan__isnull=False,  # a lead from a later story may have none yet
            household__plan__closed_on__isnull=True,
        )
        .select_related("worker", "household__plan")
        .order_by("worker_id", "household_id")
    )
    by_worker: dict[int, list[Involvement]] = {}
    for involvement in leads:
        by_worker.setdefault(involvement.worker_id, []).append(involvement)
    if len(by_worker) < 2:
        return {}
    away_id, orphan_id = sorted(by_worker)[:2]
    counts = {"absences": 0, "without_lead": 0}

    first = by_worker[away_id][0]
    away = first.worker
    absence_record(
        user=away,
        team=team,
        start_date=today - dt.timedelta(days=AWAY_SINCE_DAYS),
        end_date=today + dt.timedelta(days=BACK_AFTER_DAYS),
        reason=Absence.Reason.LEAVE,
        by=leader,
    )
    counts["absences"] += 1
    plan = first.household.plan
    Plan.objects.filter(pk=plan.pk).update(review_date=today + dt.timedelta(days=4))
    goal = plan.goals.filter(status=Goal.Status.OPEN).order_by("pk").first() or goal_add(
        plan=plan, text="Ik wil weer overzicht over mijn geld.", domains=["finances"], user=away
    )
    action_add(
        goal=goal,
        description="Samen de post van deze maand doornemen",
        owner="",
        step=Step.INDIVIDUAL_PROVISION,
        due_date=today + dt.timedelta(days=2),
        owner_worker=away,
        user=away,
    )

    # The lead ended when a caseload was re-divided, and nobody took this household.
    orphan = by_worker[orphan_id][-1]
    Involvement.objects.filter(pk=orphan.pk).update(
        start_date=min(orphan.start_date, today - dt.timedelta(days=60)),
        end_date=today - dt.timedelta(days=12),
    )
    counts["without_lead"] += 1
    return counts
