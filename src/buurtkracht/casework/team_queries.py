"""The team leader's week (workspace: the team view). Plain lists and counts to divide the
work; nothing here ranks or scores a worker (the seeds warn against counting people's
work: docs/team-week.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from buurtkracht.accounts.models import User
from buurtkracht.casework.models import Action, Goal, Intake, Plan
from buurtkracht.casework.queries import LIST_LENGTH
from buurtkracht.core.queries import not_ended
from buurtkracht.households.models import Household, Involvement

if TYPE_CHECKING:
    from buurtkracht.core.models import Team


@dataclass
class Caseload:
    """How many households a worker is involved in now: to divide new work, not to judge."""

    worker: User
    lead: int = 0
    co_worker: int = 0


@dataclass
class TeamWeek:
    """What waits in a team's neighbourhoods: each list at most LIST_LENGTH long, with its
    full number, and the caseload of each member by name."""

    intakes: list[Intake]
    intakes_total: int
    without_lead: list[Household]
    without_lead_total: int
    reviews_overdue: Sequence[Plan]
    reviews_total: int
    actions_overdue: Sequence[Action]
    actions_total: int
    caseloads: list[Caseload]

    @property
    def households(self) -> list[Household]:
        """Every household the lists name, for the log of the look."""
        named: dict[int, Household] = {}
        for intake in self.intakes:
            if intake.household is not None:
                named[intake.household.pk] = intake.household
        named.update({h.pk: h for h in self.without_lead})
        named.update({p.household.pk: p.household for p in self.reviews_overdue})
        named.update(
            {a.goal.plan.household.pk: a.goal.plan.household for a in self.actions_overdue}
        )
        return list(named.values())


def _current_leads() -> QuerySet[Involvement]:
    return Involvement.objects.filter(not_ended(), kind=Involvement.Kind.LEAD)


def team_week_section(team: Team, members: list[User]) -> TeamWeek:
    """The team leader's week for `team` (households in its neighbourhoods), in a fixed
    number of queries whatever the size of the town or the caseload:

    - intakes waiting for a lead worker, oldest first, with the days they wait;
    - households without a lead worker whose file runs (an open plan, or a co-worker
      still involved): a worker left without a handover, or a lead was ended;
    - reviews whose date passed and actions whose due date passed, oldest first, each
      with its household's lead worker;
    - for each member (`members`, in the order given: by name) the number of households
      they are lead worker or co-worker of now, across all their teams."""
    today = timezone.localdate()
    areas = list(team.neighbourhoods.values_list("pk", flat=True))
    in_area = Q(address__neighbourhood_id__in=areas)

    intakes_waiting = Intake.objects.filter(team=team, status=Intake.Status.NEW)
    intakes = list(
        intakes_waiting.select_related("household__address", "created_by").order_by(
            "created_at", "pk"
        )[:LIST_LENGTH]
    )
    for intake in intakes:
        intake.waiting_days = (today - timezone.localdate(intake.created_at)).days  # type: ignore[attr-defined]

    running = Plan.objects.filter(closed_on__isnull=True).values("household_id")
    co_working = Involvement.objects.filter(not_ended(today)).values("household_id")
    lacking = (
        Household.objects.filter(in_area)
        .filter(Q(pk__in=running) | Q(pk__in=co_working))
        .exclude(pk__in=_current_leads().values("household_id"))
    )
    without_lead = list(lacking.select_related("address").order_by("pk")[:LIST_LENGTH])

    leads = Prefetch(
        "household__involvements",
        queryset=_current_leads().select_related("worker"),
        to_attr="current_leads",
    )
    reviews = Plan.objects.filter(
        closed_on__isnull=True,
        review_date__lt=today,
        household__address__neighbourhood_id__in=areas,
    )
    reviews_overdue = list(
        reviews.select_related("household__address")
        .prefetch_related(leads)
        .order_by("review_date", "pk")[:LIST_LENGTH]
    )
    actions = Action.objects.filter(
        status=Action.Status.TO_DO,
        goal__status=Goal.Status.OPEN,
        goal__plan__closed_on__isnull=True,
        due_date__lt=today,
        goal__plan__household__address__neighbourhood_id__in=areas,
    )
    actions_overdue = list(
        actions.select_related("goal__plan__household__address", "owner_worker")
        .prefetch_related(
            Prefetch(
                "goal__plan__household__involvements",
                queryset=_current_leads().select_related("worker"),
                to_attr="current_leads",
            )
        )
        .order_by("due_date", "pk")[:LIST_LENGTH]
    )

    counts = {
        row["worker_id"]: row
        for row in Involvement.objects.filter(not_ended(today), worker__in=[m.pk for m in members])
        .values("worker_id")
        .annotate(
            lead=Count("household", distinct=True, filter=Q(kind=Involvement.Kind.LEAD)),
            co_worker=Count("household", distinct=True, filter=Q(kind=Involvement.Kind.CO_WORKER)),
        )
    }
    caseloads = [
        Caseload(
            worker=member,
            lead=counts.get(member.pk, {}).get("lead", 0),
            co_worker=counts.get(member.pk, {}).get("co_worker", 0),
        )
        for member in members
    ]
    totals = {
        "intakes": intakes_waiting.count(),
        "without_lead": lacking.count(),
        "reviews": reviews.count(),
        "actions": actions.count(),
    }
    return TeamWeek(
        intakes=intakes,
        intakes_total=totals["intakes"],
        without_lead=without_lead,
        without_lead_total=totals["without_lead"],
        reviews_overdue=reviews_overdue,
        reviews_total=totals["reviews"],
        actions_overdue=actions_overdue,
        actions_total=totals["actions"],
        caseloads=caseloads,
    )


# How far ahead an absence without a known last day looks for what falls due.
ABSENCE_AHEAD_DAYS = 14


@dataclass
class DueWhileAway:
    """One household of an absent worker with what falls due before they are back."""

    involvement: Involvement
    actions: list[Action] = field(default_factory=list)
    review: Plan | None = None
    aftercare: Plan | None = None

    @property
    def household(self) -> Household:
        return self.involvement.household


def due_while_away(team: Team, away: dict[int, dt.date]) -> dict[int, list[DueWhileAway]]:
    """For each absent worker (`away`: worker id → the last day to look at), their
    households in `team`'s neighbourhoods with what falls due by then or is overdue: the
    actions they do themselves, and the review and aftercare of the households they lead.
    Households with nothing due are left out. Three queries, whatever the number away."""
    if not away:
        return {}
    today = timezone.localdate()
    areas = list(team.neighbourhoods.values_list("pk", flat=True))
    until = max(away.values())
    involvements = list(
        Involvement.objects.filter(
            not_ended(today),
            worker_id__in=list(away),
            household__address__neighbourhood_id__in=areas,
        )
        .select_related("household__address", "worker")
        .order_by("household__address__street", "household__address__house_number", "pk")
    )
    household_ids = {i.household_id for i in involvements}
    actions = Action.objects.filter(
        status=Action.Status.TO_DO,
        goal__status=Goal.Status.OPEN,
        goal__plan__closed_on__isnull=True,
        owner_worker_id__in=list(away),
        due_date__lte=until,
        goal__plan__household_id__in=household_ids,
    ).select_related("goal__plan")
    plans = Plan.objects.filter(household_id__in=household_ids).filter(
        Q(closed_on__isnull=True, review_date__lte=until)
        | Q(closed_on__isnull=False, aftercare_done_on__isnull=True, aftercare_on__lte=until)
    )
    plan_of = {plan.household_id: plan for plan in plans}
    actions_of: dict[tuple[int, int], list[Action]] = {}
    for action in actions.order_by("due_date", "pk"):
        assert action.owner_worker_id is not None and action.due_date is not None
        if action.due_date <= away[action.owner_worker_id]:
            key = (action.owner_worker_id, action.goal.plan.household_id)
            actions_of.setdefault(key, []).append(action)
    result: dict[int, list[DueWhileAway]] = {worker_id: [] for worker_id in away}
    for involvement in involvements:
        last_day = away[involvement.worker_id]
        item = DueWhileAway(
            involvement=involvement,
            actions=actions_of.pop((involvement.worker_id, involvement.household_id), []),
        )
        plan = plan_of.get(involvement.household_id)
        if plan is not None and involvement.kind == Involvement.Kind.LEAD:
            if plan.closed_on is None and plan.review_date and plan.review_date <= last_day:
                item.review = plan
            elif plan.closed_on and plan.aftercare_on and plan.aftercare_on <= last_day:
                item.aftercare = plan
        if item.actions or item.review or item.aftercare:
            result[involvement.worker_id].append(item)
    return result
