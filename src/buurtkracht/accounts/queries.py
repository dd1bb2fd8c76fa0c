"""Reads on accounts."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from buurtkracht.accounts.models import TeamMembership, User


def current_team_memberships(user: User) -> QuerySet[TeamMembership]:
    """The user's team memberships that are in force today."""
    today = timezone.localdate()
    return (
        TeamMembership.objects.filter(user=user)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=today))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("team__organisation")
        .prefetch_related("team__neighbourhoods")
        .order_by("team__name")
    )
