"""Reads on households for lists (Mijn werk). Visibility comes from households.access."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from buurtkracht.households.models import Involvement, Membership


def my_involvements(user: Any) -> QuerySet[Involvement]:
    """The households the user is involved in today, lead first, with their members, in a
    fixed number of queries whatever the caseload."""
    today = timezone.localdate()
    return (
        Involvement.objects.filter(worker=user, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("household__address__neighbourhood")
        .prefetch_related(
            Prefetch(
                "household__memberships",
                queryset=Membership.objects.select_related("person").order_by("role", "pk"),
            )
        )
        .order_by("kind", "household__address__street", "household__address__house_number")
    )
