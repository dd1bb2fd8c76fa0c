"""Reads of learning circles. A circle is read only by its members (no ground: 404), and
each read is a fixed number of queries whatever the circle's size. Circles hold no
resident case data, so reading one is not a look at anyone's file and is not logged."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from buurtkracht.accounts.models import Role, User
from buurtkracht.circles.models import Action, Circle, Document, LearningMoment, Meeting, Member

# Staff roles whose holders can be added to a circle as colleagues.
COLLEAGUE_ROLES = (
    Role.WORKER,
    Role.TEAM_LEADER,
    Role.COMMUNITY_WORKER,
    Role.VOLUNTEER_COORDINATOR,
    Role.POLICY_ADVISOR,
)

# Who may start a circle; they and circle members see the section on their start page.
STARTER_ROLES = frozenset({Role.COMMUNITY_WORKER, Role.TEAM_LEADER})
SECTION_ROLES = STARTER_ROLES | {Role.CIRCLE_MEMBER}


def circles_of(user: User) -> QuerySet[Circle]:
    """The circles `user` belongs to, newest first, each with whether they are in its
    support team."""
    return (
        Circle.objects.filter(members__user=user)
        .annotate(
            is_support=Exists(
                Member.objects.filter(circle=OuterRef("pk"), user=user, support_team=True)
            ),
        )
        .prefetch_related("neighbourhoods")
        .order_by("published_at", "-starts_on", "title")
    )


def member_of_or_404(user: User, pk: int, *, support: bool = False) -> tuple[Circle, Member]:
    """The circle and `user`'s membership of it; a 404 for anyone else (and for a member
    outside the support team when `support`), so the page says nothing about the circle."""
    member = (
        Member.objects.filter(circle_id=pk, user=user).select_related("circle").first()
        if user.is_authenticated
        else None
    )
    if member is None or (support and not member.support_team):
        raise Http404
    return member.circle, member


@dataclass
class CirclePage:
    circle: Circle
    members: list[Member]
    meetings: list[Meeting]
    moments: list[LearningMoment]
    actions: list[Action]
    documents: list[Document]


def circle_page(circle: Circle) -> CirclePage:
    """Everything on a circle's page, in six queries."""
    circle = Circle.objects.prefetch_related("neighbourhoods").get(pk=circle.pk)
    return CirclePage(
        circle=circle,
        members=list(
            circle.members.select_related("user", "user__organisation").order_by(
                "-support_team", "user__first_name", "user__last_name", "pk"
            )
        ),
        meetings=list(
            circle.meetings.prefetch_related(
                Prefetch("moments", queryset=LearningMoment.objects.order_by("noted_on", "pk"))
            ).order_by("held_on", "pk")
        ),
        moments=list(circle.moments.select_related("meeting", "marked_by")),
        actions=list(circle.actions.select_related("owner__user")),
        documents=list(circle.documents.defer("content").select_related("added_by")),
    )


def colleagues() -> QuerySet[User]:
    """Accounts of the teams and the municipality that can join a circle as colleagues."""
    return (
        User.objects.filter(is_active=True, role_grants__role__in=COLLEAGUE_ROLES)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def published(public_id: str) -> Circle:
    """A finished circle's public summary, by the identifier in its public address."""
    try:
        key = uuid.UUID(public_id)
    except ValueError as error:
        raise Http404 from error
    circle = (
        Circle.objects.filter(public_id=key, published_at__isnull=False)
        .prefetch_related("neighbourhoods")
        .first()
    )
    if circle is None:
        raise Http404
    return circle


def all_published() -> QuerySet[Circle]:
    return (
        Circle.objects.filter(published_at__isnull=False)
        .prefetch_related("neighbourhoods")
        .order_by("-published_at")
    )


def my_work_section(request: HttpRequest) -> dict[str, Any] | None:
    """For the start page: the user's open circles and the actions that wait for them
    (two queries), or None for someone in no circle."""
    user = request.user
    if not user.is_authenticated:
        return None
    circles = list(circles_of(user).filter(published_at__isnull=True))
    if not circles and not user.role_set & SECTION_ROLES:
        return None
    actions = list(
        Action.objects.filter(owner__user=user, done_on__isnull=True, circle__in=circles)
        .select_related("circle")
        .order_by("due_on", "pk")
    )
    today = timezone.localdate()
    return {
        "circles": circles,
        "actions": actions,
        "overdue": sum(1 for action in actions if action.due_on < today),
        "may_start": bool(user.role_set & STARTER_ROLES),
    }
