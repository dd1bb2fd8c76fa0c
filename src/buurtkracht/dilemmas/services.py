"""Writes on the dilemma log: write a dilemma, plan a reflection meeting, put a dilemma
on its agenda, record what the team learnt.

Each service checks that the user works in the team now (`dilemmas.queries.member_teams`),
refuses texts with an obvious identifier (`core.anonymity`), writes in one transaction and
records the audit event. No resident is named, so no event has subjects; the ground is
the user's place in the team.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.accounts.models import User
from buurtkracht.audit.models import Action, Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core.anonymity import identifier_problems
from buurtkracht.core.models import Team
from buurtkracht.core.validators import PLANNED
from buurtkracht.core.versioning import version_claim
from buurtkracht.dilemmas.models import (
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    AgendaItem,
    Dilemma,
    ReflectionMeeting,
    Value,
    ValueTag,
)
from buurtkracht.dilemmas.queries import member_teams


def _require_member(user: User, team: Team) -> None:
    if not member_teams(user).filter(pk=team.pk).exists():
        raise PermissionDenied("Only a current member of the team writes in its dilemma log.")


def _anonymous(errors: dict[str, list[ValidationError]], field: str, text: str) -> None:
    problems = identifier_problems(text)
    if problems:
        errors.setdefault(field, []).extend(problems)


def _audit(
    action: str, user: User, obj: object, request: HttpRequest | None, details: dict[str, object]
) -> None:
    audit_record(
        action=action,
        user=user,
        request=request,
        obj=obj,
        ground=Ground.TEAM,
        details={"page": "dilemma log", **details},
    )


@transaction.atomic
def dilemma_create(
    *,
    team: Team,
    title: str,
    description: str,
    values: Iterable[str],
    life_domain: str = "",
    user: User,
    request: HttpRequest | None = None,
    written_at: dt.datetime | None = None,
) -> Dilemma:
    """Write a dilemma in the team's log, with the values at stake."""
    _require_member(user, team)
    title, description = title.strip(), description.strip()
    chosen = sorted(set(values))
    errors: dict[str, list[ValidationError]] = {}
    if not title:
        errors["title"] = [ValidationError(_("Give the dilemma a short title."))]
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = [ValidationError(_("Keep the title short: at most 120 characters."))]
    if not description:
        errors["description"] = [ValidationError(_("Describe the dilemma in a few sentences."))]
    elif len(description) > TEXT_MAX_LENGTH:
        errors["description"] = [
            ValidationError(_("Keep the description shorter: at most 3000 characters."))
        ]
    if len(chosen) < 2 or any(value not in Value.values for value in chosen):
        errors["values"] = [
            ValidationError(
                _("Choose at least two values that pull in different directions in this dilemma.")
            )
        ]
    _anonymous(errors, "title", title)
    _anonymous(errors, "description", description)
    if errors:
        raise ValidationError(errors)
    dilemma = Dilemma.objects.create(
        team=team,
        title=title,
        description=description,
        life_domain=life_domain,
        written_by=user,
        written_at=written_at or timezone.now(),
    )
    ValueTag.objects.bulk_create([ValueTag(dilemma=dilemma, value=value) for value in chosen])
    _audit(Action.CREATE, user, dilemma, request, {"values": chosen})
    return dilemma


@transaction.atomic
def reflection_meeting_create(
    *,
    team: Team,
    held_on: dt.date,
    starts_at: dt.time,
    facilitator: str,
    user: User,
    request: HttpRequest | None = None,
) -> ReflectionMeeting:
    """Plan a reflection meeting of the team (or record one that was held)."""
    _require_member(user, team)
    facilitator = facilitator.strip()
    errors: dict[str, list[ValidationError]] = {}
    problem = PLANNED.error(held_on)
    if problem:
        errors["held_on"] = [ValidationError(problem)]
    if not facilitator:
        errors["facilitator"] = [ValidationError(_("Fill in who leads the meeting."))]
    if errors:
        raise ValidationError(errors)
    meeting = ReflectionMeeting.objects.create(
        team=team, held_on=held_on, starts_at=starts_at, facilitator=facilitator, planned_by=user
    )
    _audit(Action.CREATE, user, meeting, request, {"held_on": held_on.isoformat()})
    return meeting


@transaction.atomic
def agenda_item_add(
    *,
    meeting: ReflectionMeeting,
    dilemma: Dilemma,
    user: User,
    request: HttpRequest | None = None,
) -> AgendaItem:
    """Put an open dilemma of the team on the meeting's agenda."""
    _require_member(user, meeting.team)
    if dilemma.team_id != meeting.team_id:
        raise ValidationError(
            {"dilemma": _("Only a dilemma of the meeting's own team can go on its agenda.")}
        )
    if not dilemma.is_open:
        raise ValidationError(
            {"dilemma": _("This dilemma is closed. Only open dilemmas go on an agenda.")}
        )
    if AgendaItem.objects.filter(meeting=meeting, dilemma=dilemma).exists():
        raise ValidationError({"dilemma": _("This dilemma is on the agenda already.")})
    item = AgendaItem.objects.create(meeting=meeting, dilemma=dilemma, added_by=user)
    _audit(Action.UPDATE, user, meeting, request, {"added": dilemma.pk})
    return item


@transaction.atomic
def lessons_record(
    *,
    item: AgendaItem,
    lessons: str,
    outcome: str,
    user: User,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> AgendaItem:
    """Record what the team learnt from a dilemma at the meeting, and whether the dilemma
    is closed or stays open. The dilemma's status follows the latest outcome."""
    _require_member(user, item.meeting.team)
    lessons = lessons.strip()
    errors: dict[str, list[ValidationError]] = {}
    if not item.meeting.has_begun():
        errors.setdefault("lessons", []).append(
            ValidationError(
                _("The meeting is on %(day)s. Record what you learnt on that day or after.")
                % {"day": f"{item.meeting.held_on:%d-%m-%Y}"}
            )
        )
    if not lessons:
        errors.setdefault("lessons", []).append(
            ValidationError(_("Write in a few sentences what the team learnt."))
        )
    elif len(lessons) > TEXT_MAX_LENGTH:
        errors.setdefault("lessons", []).append(
            ValidationError(_("Keep it shorter: at most 3000 characters."))
        )
    if outcome not in AgendaItem.Outcome.values:
        errors["outcome"] = [
            ValidationError(_("Choose whether the dilemma is closed or stays open."))
        ]
    _anonymous(errors, "lessons", lessons)
    if errors:
        raise ValidationError(errors)
    version_claim(item, expected_version)
    item.lessons = lessons
    item.outcome = outcome
    item.recorded_by = user
    item.recorded_at = timezone.now()
    item.save()
    dilemma = item.dilemma
    status = Dilemma.Status.CLOSED if outcome == AgendaItem.Outcome.CLOSED else Dilemma.Status.OPEN
    if dilemma.status != status:
        version_claim(dilemma, None)
        dilemma.status = status
        dilemma.save()
    _audit(Action.UPDATE, user, item, request, {"outcome": outcome})
    return item
