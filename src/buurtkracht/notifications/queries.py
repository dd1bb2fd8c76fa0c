"""Reads on notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from buurtkracht.notifications.kinds import DEFAULT_CHANNEL, Kind
from buurtkracht.notifications.models import DemoMail, Notification, Preference

if TYPE_CHECKING:
    from buurtkracht.accounts.models import User


def unread_count(user: User) -> int:
    """For the badge in the menu: one query."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_of(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def preferences_of(user: User) -> dict[str, str]:
    """The user's channel per kind, the defaults filled in. One query."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
    return {kind: chosen.get(kind, DEFAULT_CHANNEL[kind]) for kind in Kind.values}


def demo_mail() -> QuerySet[DemoMail]:
    return DemoMail.objects.order_by("-sent_at", "-pk")
