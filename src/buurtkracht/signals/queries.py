"""Who sees which signals and reports: the one place that decides (reads).

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
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from buurtkracht.accounts.models import Role
from buurtkracht.casework.intake import current_teams
from buurtkracht.signals.models import ContactAttempt, Delivery, RejectedRow, Report, Signal


def is_signal_officer(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_role(Role.SIGNAL_OFFICER))


def may_do_outreach(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and (
            user.has_role(Role.WORKER)
            or user.has_role(Role.TEAM_LEADER)
            or user.has_role(Role.SIGNAL_OFFICER)
        )
    )


def reports_visible_to(user: Any) -> QuerySet[Report]:
    if not may_do_outreach(user):
        return Report.objects.none()
    if is_signal_officer(user):
        return Report.objects.all()
    return Report.objects.filter(team__in=current_teams(user))


def outreach_list(user: Any, *, team_id: int | None = None, closed: bool = False) -> list[Report]:
    """Reports to contact, most urgent first: the priority (as overridden), then the oldest
    due date. Each with its signals' partner kinds and the number of attempts, in a fixed
    number of queries."""
    reports = reports_visible_to(user).filter(
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


def review_queue() -> QuerySet[Signal]:
    return (
        Signal.objects.filter(match_status=Signal.MatchStatus.REVIEW)
        .select_related("organisation", "report__team")
        .order_by("signal_date", "pk")
    )


def deliveries_of(user: Any) -> QuerySet[Delivery]:
    if not (user.is_authenticated and user.has_role(Role.PARTNER_LIAISON)) or not getattr(
        user, "organisation_id", None
    ):
        return Delivery.objects.none()
    return Delivery.objects.filter(organisation_id=user.organisation_id)


def overdue(report: Report, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return report.first_attempt_at is None and report.first_attempt_due < today


def attempts_of(report: Report) -> QuerySet[ContactAttempt]:
    return report.attempts.select_related("by").order_by("at", "pk")


def household_signal_reports(household: Any) -> list[Report]:
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


def my_work_section(request: Any) -> dict[str, Any]:
    """What the start page shows of early signals, per role, in counts (no resident named,
    so nothing to log): for the signal officer the uncertain matches waiting in the review
    list and the reports whose first attempt is overdue; for workers and team leaders their
    teams' reports to contact; for a partner liaison their last deliveries with the rows
    set aside that still wait for a correction. A fixed number of queries."""
    user = request.user
    today = timezone.localdate()
    section: dict[str, Any] = {}
    if may_do_outreach(user):
        counts = reports_visible_to(user).aggregate(
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
