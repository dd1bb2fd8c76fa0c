"""Reads for warm referrals: a household's referrals, and what needs the worker's attention
in "Mijn werk". A fixed number of queries, whatever the caseload."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from buurtkracht.households.models import Household
from buurtkracht.referrals.models import Referral

if TYPE_CHECKING:
    from buurtkracht.accounts.models import User

DROPPED_OUT_DAYS = 30
LIST_LENGTH = 20

OPEN = [s for s in Referral.Status.values if s not in Referral.ENDED]
NOT_STARTED = [Referral.Status.NOT_STARTED, Referral.Status.DROPPED_OUT]


def referrals_of(household: Household) -> QuerySet[Referral]:
    return household.referrals.select_related(
        "person", "resource__provider", "organisation", "action"
    ).order_by("-created_at", "-pk")


@dataclass
class ReferralWork:
    """Referrals to look at: the check date has passed, or the resident dropped out."""

    overdue: list[Referral]
    dropped: list[Referral]

    def __bool__(self) -> bool:
        return bool(self.overdue or self.dropped)


def referral_worklist(user: User) -> ReferralWork:
    """For "Mijn werk": open referrals whose check date has passed, and referrals that did
    not start or dropped out in the last 30 days, in the households the user is involved
    in (lead or co-worker) today. Two queries."""
    today = timezone.localdate()
    mine = Household.objects.involving(user).values("pk")
    base = Referral.objects.filter(household__in=mine).select_related(
        "household__address", "resource", "organisation"
    )
    overdue = list(
        base.filter(status__in=OPEN, follow_up_on__lt=today).order_by("follow_up_on", "pk")[
            :LIST_LENGTH
        ]
    )
    since = timezone.now() - dt.timedelta(days=DROPPED_OUT_DAYS)
    dropped = list(
        base.filter(status__in=NOT_STARTED, status_changed_at__gte=since).order_by(
            "-status_changed_at", "-pk"
        )[:LIST_LENGTH]
    )
    return ReferralWork(overdue, dropped)


def open_referrals_sharing_with(person_id: int, organisation_id: int) -> list[Referral]:
    """The person's open referrals whose information goes to this organisation (the
    provider's organisation of the social-map entry, or the professional's): what stops
    when the resident withdraws their consent to share with it."""
    return list(
        Referral.objects.filter(person_id=person_id, status__in=OPEN)
        .filter(
            Q(resource__provider__organisation_id=organisation_id)
            | Q(resource__provider__organisation__isnull=True, organisation_id=organisation_id)
            | Q(resource__isnull=True, organisation_id=organisation_id)
        )
        .select_related("resource", "organisation")
        .order_by("created_at", "pk")
    )
