"""Reads of signals and reports. Which reports a user may read, and on what ground, is
decided by the one visibility module (`households.visibility`: `visible_reports`,
`report_ground`); the lists here start from it.

- The signal officer (signaalregisseur) processes every signal of the municipality: the
  review list and all reports.
- Workers and team leaders see the reports routed to the teams they work in now: their
  outreach list (Eropaf).
- A partner liaison sees their own organisation's deliveries — counts, the rows set aside
  (the data they sent themselves) and the feedback a partner may know — never reports.
- Everybody else: nothing (404).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from buurtkracht.accounts.models import Role, TeamMembership, User
from buurtkracht.accounts.queries import current_teams
from buurtkracht.core.models import Team
from buurtkracht.core.queries import in_force, not_ended
from buurtkracht.households.models import Household, Involvement
from buurtkracht.households.visibility import is_signal_officer, may_do_outreach, visible_reports
from buurtkracht.signals.models import ContactAttempt, Delivery, RejectedRow, Report, Signal

if TYPE_CHECKING:
    from buurtkracht.accounts.types import AuthenticatedRequest


def outreach_list(user: User, *, team_id: int | None = None, closed: bool = False) -> list[Report]:
    """Reports to contact, most urgent first: the priority (as overridden), then the oldest
    due date. Each with its signals' partner kinds and the number of attempts, in a fixed
    number of queries."""
    reports = visible_reports(user, Report.objects.all()).filter(
        status=Report.Status.CLOSED if closed else Report.Status.OPEN
    )
    if team_id:
        reports = reports.filter(team_id=team_id)
    return list(
        reports.select_related("team", "neighbourhood", "household__address", "address")
        .annotate(attempt_count=Count("attempts", distinct=True))
        .prefetch_related(
            Prefetch(
                "signals",
                queryset=Signal.objects.only(
                    "report_id",
                    "partner_kind",
                    "surname",
                    "surname_prefix",
                    "initials",
                    "street",
                    "house_number",
                    "house_letter",
                    "addition",
                    "town",
                    "person_id",
                ).order_by("pk"),
            )
        )
        .annotate(urgency=Coalesce("priority_override", "priority"))
        .order_by("-urgency", "first_attempt_due", "pk")[:200]
    )


def report_subjects(report: Report) -> list[int]:
    """The residents a report is about: the matched persons, and the household's members."""
    ids = {s.person_id for s in report.signals.all() if s.person_id}
    if report.household_id:
        ids |= set(report.household.current_member_ids()) if report.household else set()
    return sorted(ids)


@dataclass(frozen=True)
class HouseholdFile:
    """The household file a report is linked to, as the reader of the report may know it:
    whether they may open it, and otherwise who holds it and how to reach them."""

    household: Household
    may_open: bool
    lead_worker: User | None = None
    team: Team | None = None
    team_leaders: list[User] = field(default_factory=list)


def household_file(user: User, report: Report) -> HouseholdFile | None:
    """The file of the report's household, or None when the report has none.

    Seeing a report is not a ground to read the household's file: the signal officer sees
    every report but, by need-to-know, no file. Whether the link is offered is decided by
    the one visibility mechanism (`Household.objects.visible_to`); whoever may not open it
    learns who holds the file — the lead worker, or else the team and its leader — so the
    signal officer can pass on what they know (één gezin, één plan, één regisseur)."""
    household = report.household
    if household is None:
        return None
    if Household.objects.visible_to(user).filter(pk=household.pk).exists():
        return HouseholdFile(household=household, may_open=True, team=report.team)
    today = timezone.localdate()
    lead = (
        Involvement.objects.filter(household=household, kind=Involvement.Kind.LEAD)
        .filter(not_ended(today))
        .select_related("worker")
        .order_by("-start_date", "-pk")
        .first()
    )
    team = report.team
    if lead is not None:
        # The lead worker's own team, which is not always the team the report went to.
        team = current_teams(lead.worker).order_by("name").first() or team
    leaders: list[User] = []
    if lead is None and report.team_id is not None:
        leaders = list(
            User.objects.filter(
                in_force(today, prefix="team_memberships__"),
                team_memberships__team_id=report.team_id,
                team_memberships__position=TeamMembership.Position.TEAM_LEADER,
                is_active=True,
            ).distinct()
        )
    return HouseholdFile(
        household=household,
        may_open=False,
        lead_worker=lead.worker if lead else None,
        team=team,
        team_leaders=leaders,
    )


def review_queue() -> QuerySet[Signal]:
    return (
        Signal.objects.filter(match_status=Signal.MatchStatus.REVIEW)
        .select_related("organisation", "report__team")
        .order_by("signal_date", "pk")
    )


def deliveries_of(user: User) -> QuerySet[Delivery]:
    organisation_id = user.organisation_id
    if not (user.is_authenticated and user.has_role(Role.PARTNER_LIAISON)) or not organisation_id:
        return Delivery.objects.none()
    return Delivery.objects.filter(organisation_id=organisation_id)


def overdue(report: Report, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return report.first_attempt_at is None and report.first_attempt_due < today


def attempts_of(report: Report) -> QuerySet[ContactAttempt]:
    return report.attempts.select_related("by").order_by("at", "pk")


def household_signal_reports(household: Household) -> list[Report]:
    """The household's signal reports of the last year and every open one, for its file."""
    return list(
        Report.objects.filter(household=household)
        .filter(
            Q(status=Report.Status.OPEN)
            | Q(month__gte=timezone.localdate() - dt.timedelta(days=365))
        )
        .prefetch_related(
            Prefetch("signals", queryset=Signal.objects.only("report_id", "partner_kind"))
        )
        .order_by("-month")[:12]
    )


RECENT_DELIVERIES = 5


def my_work_section(request: AuthenticatedRequest) -> dict[str, Any]:
    """What the start page shows of early signals, per role, in counts (no resident named,
    so nothing to log): for the signal officer the uncertain matches waiting in the review
    list and the reports whose first attempt is overdue; for workers and team leaders their
    teams' reports to contact; for a partner liaison their last deliveries with the rows
    set aside that still wait for a correction. A fixed number of queries."""
    user = request.user
    today = timezone.localdate()
    section: dict[str, Any] = {}
    if may_do_outreach(user):
        counts = visible_reports(user, Report.objects.all()).aggregate(
            open=Count("pk", filter=Q(status=Report.Status.OPEN)),
            overdue=Count(
                "pk",
                filter=Q(
                    status=Report.Status.OPEN,
                    first_attempt_at__isnull=True,
                    first_attempt_due__lt=today,
                ),
            ),
        )
        section["reports_open"] = counts["open"]
        section["reports_overdue"] = counts["overdue"]
    if is_signal_officer(user):
        section["officer"] = True
        section["to_review"] = review_queue().count()
    if user.is_authenticated and user.has_role(Role.PARTNER_LIAISON):
        deliveries = deliveries_of(user)
        section["partner"] = True
        waiting = Q(rejected_rows__resolved_at__isnull=True)
        section["deliveries"] = list(
            deliveries.annotate(waiting_rows=Count("rejected_rows", filter=waiting)).order_by(
                "-received_at", "-pk"
            )[:RECENT_DELIVERIES]
        )
        section["rows_waiting"] = RejectedRow.objects.filter(
            delivery__in=deliveries, resolved_at__isnull=True
        ).count()
    return section


def team_week_section(user: User, team: Team) -> dict[str, Any]:
    """The team leader's week: the team's reports whose first attempt is overdue (Eropaf:
    contact within the set working days), oldest due date first, at most LIST_LENGTH, with
    their number and the residents they are about (for the log of the look). Reports
    belong to the team, not to one worker, so nothing of them moves when someone is away.
    Four queries."""
    today = timezone.localdate()
    overdue_reports = visible_reports(user, Report.objects.all()).filter(
        team=team,
        status=Report.Status.OPEN,
        first_attempt_at__isnull=True,
        first_attempt_due__lt=today,
    )
    reports = list(
        overdue_reports.select_related("address", "household__address")
        .prefetch_related(
            Prefetch(
                "signals",
                queryset=Signal.objects.only(
                    "report_id",
                    "partner_kind",
                    "street",
                    "postcode",
                    "house_number",
                    "house_letter",
                    "addition",
                    "town",
                    "person_id",
                ).order_by("pk"),
            )
        )
        .order_by("first_attempt_due", "pk")[:TEAM_WEEK_LIST_LENGTH]
    )
    for report in reports:
        report.days_overdue = (today - report.first_attempt_due).days  # type: ignore[attr-defined]
    subjects = {s.person_id for r in reports for s in r.signals.all() if s.person_id}
    return {
        "reports": reports,
        "total": overdue_reports.count(),
        "subjects": subjects,
        "household_ids": {r.household_id for r in reports if r.household_id},
    }


TEAM_WEEK_LIST_LENGTH = 20
