"""Reads for the household file and its plan, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from buurtkracht.accounts.models import Role, User
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.models import Ground
from buurtkracht.casework.models import (
    Action,
    Appointment,
    Contact,
    Goal,
    Intake,
    Plan,
    PlanProposal,
    Step,
)
from buurtkracht.core.queries import in_force, not_ended
from buurtkracht.households.models import Household, Involvement, Membership

if TYPE_CHECKING:
    pass

TIMELINE_LENGTH = 50


def timeline(household: Household, ground: str) -> QuerySet[Contact]:
    """The latest contacts; sensitive notes only for workers involved in the household."""
    contacts = household.contacts.select_related("worker").order_by("-happened_at", "-pk")
    if ground != Ground.INVOLVEMENT:
        contacts = contacts.filter(sensitive=False)
    return contacts[:TIMELINE_LENGTH]


INTAKES_ON_FILE = 10


def household_intakes(household: Household) -> list[Intake]:
    """The latest intakes of the household, whatever became of them: an intake handed to
    the lead worker is read here, in the file it joined."""
    return list(
        household.intakes.select_related("created_by", "assigned_to", "closed_by").order_by(
            "-created_at", "-pk"
        )[:INTAKES_ON_FILE]
    )


@dataclass
class StepColumn:
    step: int
    label: str
    actions: list[Action] = field(default_factory=list)


@dataclass
class PlanOverview:
    plan: Plan | None
    goals: list[Goal]
    steps: list[StepColumn]

    @property
    def open_actions(self) -> int:
        return sum(
            1 for column in self.steps for a in column.actions if a.status == Action.Status.TO_DO
        )

    @property
    def goals_reached(self) -> int:
        """Derived from the goals' states, never typed (PRODUCT.md principle 6)."""
        return sum(1 for goal in self.goals if goal.status == Goal.Status.REACHED)

    @property
    def goals_open(self) -> int:
        return sum(1 for goal in self.goals if not goal.is_closed)


def plan_overview(household: Household) -> PlanOverview:
    """The plan with its goals and actions, and the actions per step of the four-step
    order, so the page shows whether own strength came first."""
    plan = Plan.objects.filter(household=household).first()
    columns = [StepColumn(step=value, label=str(label)) for value, label in Step.choices]
    if plan is None:
        return PlanOverview(plan=None, goals=[], steps=columns)
    goals = list(
        plan.goals.prefetch_related(
            Prefetch("actions", queryset=Action.objects.order_by("step", "due_date", "pk"))
        )
    )
    for goal in goals:
        for action in goal.actions.all():
            columns[action.step - 1].actions.append(action)
    return PlanOverview(plan=plan, goals=goals, steps=columns)


def involved_workers(household: Household) -> list[tuple[int, str]]:
    """Workers involved in the household now, who can take on an action: one query."""
    rows = (
        Involvement.objects.filter(not_ended(), household=household)
        .select_related("worker")
        .order_by("worker__first_name", "worker__last_name", "worker_id")
    )
    seen: dict[int, str] = {}
    for involvement in rows:
        worker = involvement.worker
        if worker is not None and worker.pk not in seen:
            seen[worker.pk] = worker.get_full_name() or worker.username
    return list(seen.items())


@dataclass
class Worklist:
    """What is due for a worker across the households they are involved in."""

    actions_due: list[Action]
    reviews_due: list[Plan]
    aftercare_due: list[Plan]
    quiet: list[Household]
    intakes_handed: list[Intake] = field(default_factory=list)
    proposals_waiting: list[PlanProposal] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.actions_due
            or self.reviews_due
            or self.aftercare_due
            or self.quiet
            or self.intakes_handed
            or self.proposals_waiting
        )


ACTIONS_AHEAD_DAYS = 7
REVIEWS_AHEAD_DAYS = 14
QUIET_AFTER_DAYS = 30
INTAKES_HANDED_DAYS = 14
LIST_LENGTH = 20


def worklist(user: User) -> Worklist:
    """Mijn werk: actions due within a week, reviews within two weeks, aftercare due, and
    households led by the user without contact for a month, and the intakes handed to
    the user as lead worker in the last two weeks, and what residents proposed for their
    plan that waits for an answer. Six queries, whatever the caseload."""
    today = timezone.localdate()
    involved = Q(involvements__worker=user) & not_ended(today, prefix="involvements__")
    mine = Household.objects.filter(involved).values("pk")
    led = Household.objects.filter(involved, involvements__kind=Involvement.Kind.LEAD).values("pk")
    actions_due = list(
        Action.objects.filter(
            status=Action.Status.TO_DO,
            goal__status=Goal.Status.OPEN,  # a goal reached or stopped asks nothing more
            due_date__lte=today + dt.timedelta(days=ACTIONS_AHEAD_DAYS),
            goal__plan__closed_on__isnull=True,
            goal__plan__household__in=mine,
        )
        .select_related("goal__plan__household__address")
        .order_by("due_date", "pk")[:LIST_LENGTH]
    )
    reviews_due = list(
        Plan.objects.filter(
            closed_on__isnull=True,
            review_date__lte=today + dt.timedelta(days=REVIEWS_AHEAD_DAYS),
            household__in=mine,
        )
        .select_related("household__address")
        .order_by("review_date")[:LIST_LENGTH]
    )
    aftercare_due = list(
        Plan.objects.filter(
            closed_on__isnull=False,
            aftercare_done_on__isnull=True,
            aftercare_on__lte=today + dt.timedelta(days=ACTIONS_AHEAD_DAYS),
            household__in=led,
        )
        .select_related("household__address")
        .order_by("aftercare_on")[:LIST_LENGTH]
    )
    since = timezone.now() - dt.timedelta(days=QUIET_AFTER_DAYS)
    # The latest contact per household through the (household, happened_at) index: one
    # index step per household led, however long each timeline is (a MAX over a join
    # would read every contact of the caseload).
    latest = Contact.objects.filter(household=OuterRef("pk")).order_by("-happened_at")
    quiet = list(
        Household.objects.filter(pk__in=led)
        .exclude(plan__closed_on__isnull=False)
        .annotate(last_contact=Subquery(latest.values("happened_at")[:1]))
        .filter(Q(last_contact__isnull=True) | Q(last_contact__lt=since))
        .select_related("address")
        .order_by(F("last_contact").asc(nulls_first=True))[:LIST_LENGTH]
    )
    intakes_handed = list(
        Intake.objects.filter(
            status=Intake.Status.JOINED,
            assigned_to=user,
            closed_at__gte=timezone.now() - dt.timedelta(days=INTAKES_HANDED_DAYS),
            household__involvements__worker=user,
            household__involvements__kind=Involvement.Kind.LEAD,
            household__involvements__end_date__isnull=True,
        )
        .select_related("household__address")
        .distinct()
        .order_by("-closed_at")[:LIST_LENGTH]
    )
    proposals_waiting = list(
        PlanProposal.objects.filter(state=PlanProposal.State.WAITING, household__in=mine)
        .select_related("household__address")
        .order_by("at", "pk")[:LIST_LENGTH]
    )
    return Worklist(
        actions_due, reviews_due, aftercare_due, quiet, intakes_handed, proposals_waiting
    )


def plan_proposals(household: Household) -> list[PlanProposal]:
    """Everything the resident proposed for their plan, oldest first, with who wrote
    and who answered: one query, however many there are."""
    return list(
        household.plan_proposals.select_related("by", "decided_by", "goal", "action").order_by(
            "at", "pk"
        )
    )


# Appointments (docs/appointments.md) -------------------------------------------------

# Mijn werk shows today and the coming days; the household file the coming appointments
# and the latest past ones.
APPOINTMENTS_AHEAD_DAYS = 7
PAST_APPOINTMENTS_ON_FILE = 10
# The calendar feed reaches back a quarter, so last weeks' visits stay in the phone.
FEED_DAYS_BACK = 90


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def my_appointments(user: User) -> QuerySet[Appointment]:
    """The appointments `user` goes to, in households they are involved in today: a
    worker no longer involved does not read the address any more."""
    return Appointment.objects.filter(
        workers=user, household__in=Household.objects.involving(user).values("pk")
    )


@dataclass
class AppointmentsSection:
    """Mijn werk's appointments: today and tomorrow apart (the reminder), then the days
    after, up to a week ahead."""

    today: list[Appointment] = field(default_factory=list)
    tomorrow: list[Appointment] = field(default_factory=list)
    later: list[Appointment] = field(default_factory=list)
    shown: bool = False

    def __bool__(self) -> bool:
        return self.shown


def my_work_section(request: AuthenticatedRequest) -> AppointmentsSection:
    """The appointments on Mijn werk, for workers and team leaders: one query, whatever
    the number of appointments. Cancelled ones stay, marked, so nobody goes for nothing.
    Only households the user is involved in: Mijn werk notes the look at those."""
    user = request.user
    if not user.role_set & {Role.WORKER, Role.TEAM_LEADER}:
        return AppointmentsSection()
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    rows = (
        my_appointments(user)
        .filter(
            starts_at__gte=_day_start(today),
            starts_at__lt=_day_start(today + dt.timedelta(days=APPOINTMENTS_AHEAD_DAYS + 1)),
        )
        .select_related("household__address")
        .order_by("starts_at", "pk")[:LIST_LENGTH]
    )
    section = AppointmentsSection(shown=True)
    for appointment in rows:
        day = timezone.localdate(appointment.starts_at)
        if day == today:
            section.today.append(appointment)
        elif day == tomorrow:
            section.tomorrow.append(appointment)
        else:
            section.later.append(appointment)
    return section


@dataclass
class AppointmentsOnFile:
    upcoming: list[Appointment]
    past: list[Appointment]


def household_appointments(household: Household) -> AppointmentsOnFile:
    """The household's coming appointments and the latest past ones, with who goes:
    four queries, however many there are."""
    now = timezone.now()
    rows = household.appointments.prefetch_related(
        Prefetch("workers", queryset=User.objects.order_by("first_name", "last_name", "pk"))
    )
    upcoming = list(rows.filter(ends_at__gte=now).order_by("starts_at", "pk")[:LIST_LENGTH])
    past = list(
        rows.filter(ends_at__lt=now).order_by("-starts_at", "-pk")[:PAST_APPOINTMENTS_ON_FILE]
    )
    return AppointmentsOnFile(upcoming=upcoming, past=past)


def appointments_due_for_reminder(day: dt.date) -> QuerySet[Appointment]:
    """The appointments that go ahead on `day` (Amsterdam), with their workers: what a
    daily reminder sweep sends each worker about (for example the day before). Only
    workers still involved in the household should be told the address: the caller
    checks that with `Household.objects.involving(worker)` or tells without it."""
    return (
        Appointment.objects.filter(
            cancelled_at__isnull=True,
            starts_at__gte=_day_start(day),
            starts_at__lt=_day_start(day + dt.timedelta(days=1)),
        )
        .select_related("household__address")
        .prefetch_related("workers")
        .order_by("starts_at", "pk")
    )


def feed_appointments(user: User, *, with_names: bool) -> list[Appointment]:
    """The appointments in `user`'s calendar feed: from a quarter back on, cancelled ones
    included (their STATUS tells the phone to drop them). The residents' names are read
    only when the feed shows them."""
    rows = (
        my_appointments(user)
        .filter(starts_at__gte=timezone.now() - dt.timedelta(days=FEED_DAYS_BACK))
        .select_related("household__address", "household__neighbourhood")
        .prefetch_related(
            Prefetch("workers", queryset=User.objects.order_by("first_name", "last_name", "pk"))
        )
        .order_by("starts_at", "pk")
    )
    if with_names:
        rows = rows.prefetch_related(
            Prefetch(
                "household__memberships",
                queryset=Membership.objects.filter(in_force())
                .select_related("person")
                .order_by("role", "pk"),
                to_attr="members_now",
            )
        )
    return list(rows)
