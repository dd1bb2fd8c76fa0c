"""Writes of learning circles, each in a transaction and audited. Who may do what is
decided here (and asked by the views through `circles.queries`):

- a community worker or team leader starts a circle and is its first support-team member;
- the support team adds and invites members, plans meetings and keeps their notes, marks
  learning moments and writes and publishes the public summary;
- every member adds actions, marks them done and adds documents.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.accounts.activation import activation_issue, activation_mail
from buurtkracht.accounts.models import Role, User
from buurtkracht.accounts.services import role_grant
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.circles.models import Action, Circle, Document, LearningMoment, Meeting, Member
from buurtkracht.circles.queries import STARTER_ROLES
from buurtkracht.core import scanning
from buurtkracht.core.filetypes import Examined
from buurtkracht.core.models import Area

if TYPE_CHECKING:
    from django.http import HttpRequest


def may_start(user: User) -> bool:
    return bool(user.role_set & STARTER_ROLES)


def membership(circle: Circle, user: User) -> Member | None:
    return Member.objects.filter(circle=circle, user=user).first()


def _support(circle: Circle, user: User) -> Member:
    member = membership(circle, user)
    if member is None or not member.support_team:
        raise PermissionDenied
    return member


def _member(circle: Circle, user: User) -> Member:
    member = membership(circle, user)
    if member is None:
        raise PermissionDenied
    return member


def _log(
    action: str, user: User, obj: object, request: HttpRequest | None, **details: object
) -> None:
    audit_record(
        action=action, user=user, request=request, obj=obj, ground=Ground.ROLE, details=details
    )


def _period(starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on < starts_on:
        raise ValidationError(
            {"ends_on": _("The planned end is before the start. Check both dates.")}
        )


@transaction.atomic
def circle_start(
    *,
    user: User,
    title: str,
    question: str,
    neighbourhoods: Iterable[Area],
    starts_on: dt.date,
    ends_on: dt.date,
    request: HttpRequest | None = None,
) -> Circle:
    """Start a circle; whoever starts it is its first member, in the support team."""
    if not may_start(user):
        raise PermissionDenied
    _period(starts_on, ends_on)
    circle = Circle.objects.create(
        title=title.strip(),
        question=question.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=user,
    )
    circle.neighbourhoods.set(list(neighbourhoods))
    Member.objects.create(circle=circle, user=user, kind=Member.Kind.STAFF, support_team=True)
    _log(AuditAction.CREATE, user, circle, request, circle=circle.pk)
    return circle


def _join(circle: Circle, account: User, kind: str, speaks_for: str, support_team: bool) -> Member:
    if Member.objects.filter(circle=circle, user=account).exists():
        raise ValidationError(_("%(name)s is already a member of this circle.") % {"name": account})
    return Member.objects.create(
        circle=circle,
        user=account,
        kind=kind,
        speaks_for=speaks_for.strip(),
        support_team=support_team,
    )


@transaction.atomic
def member_add(
    *,
    circle: Circle,
    by: User,
    account: User,
    support_team: bool,
    request: HttpRequest | None = None,
) -> Member:
    """Add a colleague (an account of the teams or the municipality) to the circle."""
    _support(circle, by)
    organisation = account.organisation.name if account.organisation else ""
    member = _join(circle, account, Member.Kind.STAFF, organisation, support_team)
    _log(AuditAction.CREATE, by, member, request, circle=circle.pk, member=account.pk)
    return member


def _username_for(email: str) -> str:
    base = re.sub(r"[^\w.@+-]", "", email.split("@", 1)[0].lower())[:120] or "kringlid"
    name, number = base, 1
    while User.objects.filter(username=name).exists():
        number += 1
        name = f"{base}{number}"
    return name


@transaction.atomic
def member_invite(
    *,
    circle: Circle,
    by: User,
    first_name: str,
    last_name: str,
    email: str,
    kind: str,
    speaks_for: str,
    support_team: bool,
    base_url: str,
    request: HttpRequest | None = None,
) -> Member:
    """Invite someone from outside the teams: a resident, an organisation or a business.
    Someone without an account gets one with the limited role of circle member and an
    activation link by e-mail; an existing account joins as it is."""
    _support(circle, by)
    if kind not in (Member.Kind.RESIDENT, Member.Kind.ORGANISATION, Member.Kind.BUSINESS):
        raise ValidationError({"kind": _("Choose how this person takes part.")})
    email = email.strip().lower()
    account = User.objects.filter(email__iexact=email).first()
    new = account is None
    if account is None:
        account = User(
            username=_username_for(email),
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            email=email,
        )
        account.set_unusable_password()
        account.save()
    if new or not account.role_set:
        role_grant(user=account, role=Role.CIRCLE_MEMBER)
    member = _join(circle, account, kind, speaks_for, support_team)
    _log(AuditAction.CREATE, by, member, request, circle=circle.pk, member=account.pk, new=new)
    if new:
        token = activation_issue(user=account, by=by, request=request)
        transaction.on_commit(lambda: activation_mail(user=account, token=token, base_url=base_url))
    return member


@transaction.atomic
def member_remove(*, member: Member, by: User, request: HttpRequest | None = None) -> None:
    """Take someone out of the circle who has no actions in it (actions say who did what,
    so their owner stays); the support team keeps at least one member."""
    circle = member.circle
    _support(circle, by)
    if member.actions.exists():
        raise ValidationError(
            _(
                "%(name)s has actions in this circle and stays a member, so that they keep "
                "saying who does what."
            )
            % {"name": member}
        )
    others = circle.members.filter(support_team=True).exclude(pk=member.pk)
    if member.support_team and not others.exists():
        raise ValidationError(_("The circle needs at least one member in the support team."))
    _log(AuditAction.DELETE, by, member, request, circle=circle.pk, member=member.user_id)
    member.delete()


@transaction.atomic
def meeting_plan(
    *,
    circle: Circle,
    by: User,
    held_on: dt.date,
    place: str,
    agenda: str,
    request: HttpRequest | None = None,
) -> Meeting:
    _support(circle, by)
    meeting = Meeting.objects.create(
        circle=circle, held_on=held_on, place=place.strip(), agenda=agenda.strip()
    )
    _log(AuditAction.CREATE, by, meeting, request, circle=circle.pk)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    by: User,
    held_on: dt.date,
    place: str,
    agenda: str,
    notes: str,
    request: HttpRequest | None = None,
) -> Meeting:
    """Change a meeting's date, place and agenda, or keep its notes."""
    _support(meeting.circle, by)
    meeting.held_on, meeting.place = held_on, place.strip()
    meeting.agenda, meeting.notes = agenda.strip(), notes.strip()
    meeting.save()
    _log(AuditAction.UPDATE, by, meeting, request, circle=meeting.circle_id)
    return meeting


@transaction.atomic
def moment_mark(
    *,
    circle: Circle,
    by: User,
    learnt: str,
    noted_on: dt.date,
    meeting: Meeting | None,
    request: HttpRequest | None = None,
) -> LearningMoment:
    """The support team marks a learning moment: what the circle learnt, and when."""
    _support(circle, by)
    if meeting is not None and meeting.circle_id != circle.pk:
        raise ValidationError({"meeting": _("Choose a meeting of this circle.")})
    moment = LearningMoment.objects.create(
        circle=circle, meeting=meeting, learnt=learnt.strip(), noted_on=noted_on, marked_by=by
    )
    _log(AuditAction.CREATE, by, moment, request, circle=circle.pk)
    return moment


@transaction.atomic
def action_add(
    *,
    circle: Circle,
    by: User,
    what: str,
    owner: Member,
    due_on: dt.date,
    request: HttpRequest | None = None,
) -> Action:
    _member(circle, by)
    if owner.circle_id != circle.pk:
        raise ValidationError({"owner": _("Choose a member of this circle.")})
    action = Action.objects.create(circle=circle, what=what.strip(), owner=owner, due_on=due_on)
    _log(AuditAction.CREATE, by, action, request, circle=circle.pk)
    return action


@transaction.atomic
def action_done(*, action: Action, by: User, request: HttpRequest | None = None) -> Action:
    _member(action.circle, by)
    if action.done_on is None:
        action.done_on = timezone.localdate()
        action.save(update_fields=["done_on"])
        _log(AuditAction.UPDATE, by, action, request, circle=action.circle_id, done=True)
    return action


@transaction.atomic
def document_add(
    *,
    circle: Circle,
    by: User,
    title: str,
    link: str = "",
    examined: Examined | None = None,
    request: HttpRequest | None = None,
) -> Document:
    """Add a link or a file (checked by `core.filetypes.examine`, scanned where a
    scanner is configured) to the circle's documents."""
    _member(circle, by)
    if bool(link) == (examined is not None):
        raise ValidationError(_("Add either a file or a link."))
    document = Document(circle=circle, title=title.strip(), link=link, added_by=by)
    if examined is not None:
        document.scanned = scanning.scan_upload(examined.data)
        document.filename = examined.filename
        document.content_type = examined.kind.content_type
        document.size = len(examined.data)
        document.content = examined.data
    document.save()
    _log(AuditAction.CREATE, by, document, request, circle=circle.pk, size=document.size)
    return document


@transaction.atomic
def summary_publish(
    *,
    circle: Circle,
    by: User,
    learnt: str,
    happened: str,
    request: HttpRequest | None = None,
) -> Circle:
    """Write or correct the public summary and publish it: the circle is finished and its
    public page shows the theme, what was learnt and what happened."""
    _support(circle, by)
    circle.summary_learnt, circle.summary_happened = learnt.strip(), happened.strip()
    if circle.published_at is None:
        circle.published_at = timezone.now()
    circle.save(update_fields=["summary_learnt", "summary_happened", "published_at"])
    _log(AuditAction.UPDATE, by, circle, request, circle=circle.pk, published=True)
    return circle
