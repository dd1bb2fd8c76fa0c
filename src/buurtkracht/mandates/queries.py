"""Reads of mandates and the decisions under them. Who may read a household file is
decided before `decisions_of` is called (the guard); which organisation a partner reads
for is decided in `households.visibility.mandate_partner_organisation`. Each read is a
fixed number of queries, whatever the number of decisions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from buurtkracht.accounts.models import User
from buurtkracht.accounts.queries import current_teams
from buurtkracht.core import disclosure
from buurtkracht.core.queries import in_force
from buurtkracht.households.models import Household
from buurtkracht.mandates.models import Mandate, MandateDecision


def usable_mandates(user: User, on: dt.date | None = None) -> QuerySet[Mandate]:
    """The mandates `user` may decide under on `on` (today): valid that day and granted
    to a team they work in now or to them by name."""
    day = on or timezone.localdate()
    granted = Mandate.objects.filter(
        Q(teams__in=current_teams(user).values("pk")) | Q(workers=user)
    ).values("pk")
    return (
        Mandate.objects.filter(in_force(day), pk__in=granted)
        .select_related("organisation")
        .order_by("organisation__name", "decision", "pk")
    )


def decisions_of(household: Household) -> QuerySet[MandateDecision]:
    """The decisions under a mandate on `household`'s file, newest first."""
    return MandateDecision.objects.filter(household=household).select_related(
        "mandate__organisation", "person", "decided_by", "team"
    )


def partner_decisions(organisation_id: int) -> QuerySet[MandateDecision]:
    """The decisions under the mandates of one organisation, newest first, with only what
    the organisation needs to find its customer (the resident's name and date of birth):
    no address, no household, nothing else of the file."""
    return (
        MandateDecision.objects.filter(mandate__organisation_id=organisation_id)
        .select_related("mandate", "person", "team")
        .only(
            "pk",
            "what",
            "amount_cents",
            "reason",
            "decided_on",
            "mandate__id",
            "mandate__decision",
            "mandate__life_domain",
            "person__id",
            "person__initials",
            "person__given_names",
            "person__surname_prefix",
            "person__surname",
            "person__date_of_birth",
            "team__id",
            "team__name",
        )
    )


def partner_mandates(organisation_id: int) -> QuerySet[Mandate]:
    return Mandate.objects.filter(organisation_id=organisation_id).order_by("decision", "pk")


def all_mandates() -> QuerySet[Mandate]:
    """Every mandate, with the teams it is granted to (two queries)."""
    return Mandate.objects.select_related("organisation").prefetch_related("teams")


@dataclass(frozen=True)
class MonthUse:
    month: dt.date
    decisions: int  # published: rounded to base 5 (core.disclosure)
    # The total amount, only when the published count is at least disclosure.SHARE_BASE:
    # a total of one or two decisions would be their amounts.
    total: Decimal | None


@dataclass(frozen=True)
class Usage:
    months: list[MonthUse]
    decisions: int
    total: Decimal | None


def mandate_usage(mandate: Mandate) -> Usage:
    """Decisions under `mandate` per month (Amsterdam dates): the count and the total
    amount, published under decision 0009. One query."""
    rows = (
        MandateDecision.objects.filter(mandate=mandate)
        .annotate(month=TruncMonth("decided_on"))
        .values("month")
        .annotate(count=Count("pk"), cents=Sum("amount_cents"))
        .order_by("-month")
    )
    months = []
    for row in rows:
        count = disclosure.published(row["count"])
        total = Decimal(row["cents"] or 0) / 100 if disclosure.has_base(count) else None
        months.append(MonthUse(month=row["month"], decisions=count, total=total))
    decisions = disclosure.published_sum(m.decisions for m in months)
    shown = [m.total for m in months]
    total = (
        sum((t for t in shown if t is not None), Decimal(0))
        if months and all(t is not None for t in shown)
        else None
    )
    return Usage(months=months, decisions=decisions, total=total)
