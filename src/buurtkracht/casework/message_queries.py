"""Reads on messages: a household's conversation, who is in it, and what is unread — each
a fixed number of queries, whatever the number of messages or households."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from buurtkracht.accounts.models import Role, User
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.casework.message_models import Message, MessageRead
from buurtkracht.core.queries import in_force
from buurtkracht.households.models import Household, Involvement
from buurtkracht.households.visibility import involved_households

if TYPE_CHECKING:
    import datetime as dt

# How many households with unread messages "Mijn werk" lists.
MY_WORK_LENGTH = 10


def conversation(household: Household) -> QuerySet[Message]:
    """The household's messages, oldest first (the newest at the bottom), with authors."""
    return Message.objects.filter(household=household).select_related("author")


def involved_worker_ids(household: Household) -> list[int]:
    """The lead worker and co-workers of the household today: one query."""
    return list(
        Involvement.objects.filter(household=household, worker__is_active=True)
        .filter(in_force())
        .values_list("worker_id", flat=True)
        .distinct()
    )


def resident_user_ids(household: Household) -> list[int]:
    """The residents of the household today who have an account: one query."""
    return list(
        User.objects.filter(
            in_force(prefix="person__memberships__"),
            person__memberships__household=household,
            is_active=True,
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def read_until(household: Household, user: User) -> dt.datetime | None:
    """Up to when `user` has read the household's messages; None: nothing read yet."""
    return (
        MessageRead.objects.filter(household=household, user=user)
        .values_list("read_at", flat=True)
        .first()
    )


def unread_counts(user: User, households: Iterable[int] | QuerySet[Household]) -> dict[int, int]:
    """Per household (of `households`, ids or a queryset) the number of messages others
    wrote after `user` last read the conversation: one query. Households without an
    unread message are left out."""
    ids = households.values("pk") if isinstance(households, QuerySet) else list(households)
    marker = MessageRead.objects.filter(household=OuterRef("household"), user=user).values(
        "read_at"
    )[:1]
    rows = (
        Message.objects.filter(household__in=ids)
        .exclude(author=user)
        .annotate(read_at=Subquery(marker))
        .filter(Q(read_at__isnull=True) | Q(sent_at__gt=F("read_at")))
        .values("household")
        .annotate(unread=Count("pk"))
        .values_list("household", "unread")
    )
    return dict(rows)


@dataclass
class UnreadHousehold:
    household: Household
    unread: int


def my_work_section(request: AuthenticatedRequest) -> list[UnreadHousehold]:
    """The households the worker is involved in that have messages waiting for them, most
    waiting first: two queries. Only the worker's own caseload, whose look Mijn werk
    notes already."""
    user = request.user
    if not user.role_set & {Role.WORKER, Role.TEAM_LEADER}:
        return []
    counts = unread_counts(user, involved_households(user, Household.objects.all()))
    if not counts:
        return []
    ordered = sorted(counts, key=lambda pk: (-counts[pk], pk))[:MY_WORK_LENGTH]
    households = Household.objects.select_related("address").in_bulk(ordered)
    return [UnreadHousehold(households[pk], counts[pk]) for pk in ordered if pk in households]
