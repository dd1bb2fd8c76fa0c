"""Writes of case conferences: schedule, put a case on the agenda, record the decision and
the actions decided (through casework's own services, into the household's plan), keep a
decision as a precedent. Each in a transaction, each audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtkracht.accounts.models import Role, User
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.casework.models import Action, Goal, LifeDomain
from buurtkracht.casework.services import action_add, goal_add, plan_get_or_create
from buurtkracht.conferences.anonymity import identifying_words, names_household
from buurtkracht.conferences.models import Case, Conference, Precedent
from buurtkracht.conferences.queries import may_schedule, participant_choices
from buurtkracht.core.models import Team
from buurtkracht.households.models import Household
from buurtkracht.households.visibility import can_write, household_ground
from buurtkracht.notifications.kinds import Kind
from buurtkracht.notifications.services import notify

if TYPE_CHECKING:
    from django.http import HttpRequest

# A conference is planned ahead, or recorded just after: not years away.
EARLIEST_DAYS_BACK = 31
LATEST_DAYS_AHEAD = 366


def _refuse_names(errors: dict[str, str], fields: dict[str, str], words: list[str]) -> None:
    for field, text in fields.items():
        if field not in errors and text and names_household(text, words):
            errors[field] = _(
                "This text names the household (a name, the street, the postcode or a date "
                "of birth). Everyone at the table reads it: describe the situation without "
                "them, for example: gezin met 3 kinderen, schulden."
            )


@transaction.atomic
def conference_schedule(
    *,
    team: Team,
    kind: str,
    starts_at: dt.datetime,
    place: str,
    chair: User,
    participants: Iterable[User],
    user: User,
    request: HttpRequest | None = None,
) -> Conference:
    """Schedule a case conference of `team`; the chair takes part. The participants are
    told (no resident in the text: there is no case on the agenda yet)."""
    people = {p.pk: p for p in participants}
    people[chair.pk] = chair
    errors: dict[str, str] = {}
    if not may_schedule(user, team):
        errors["team"] = _("Choose a team you work in.")
    if kind not in Conference.Kind.values:
        errors["kind"] = _("Choose the kind of conference.")
    now = timezone.now()
    if not (
        now - dt.timedelta(days=EARLIEST_DAYS_BACK)
        <= starts_at
        <= now + dt.timedelta(days=LATEST_DAYS_AHEAD)
    ):
        errors["day"] = _(
            "Choose a day from a month ago up to a year ahead: a conference is planned or "
            "recorded close to when it meets."
        )
    if not place.strip():
        errors["place"] = _("Write where the conference meets (a room, an address, or online).")
    allowed = set(participant_choices(team).values_list("pk", flat=True))
    if set(people) - allowed:
        errors["participants"] = _(
            "Choose participants from the team and outside professionals of partner organisations."
        )
    outside = [p for p in people.values() if p.has_role(Role.OUTSIDE_PROFESSIONAL)]
    if kind == Conference.Kind.MULTIDISCIPLINARY and not outside and "participants" not in errors:
        errors["participants"] = _(
            "A multidisciplinary conference has at least one outside professional. Choose "
            "them, or choose a team conference."
        )
    if errors:
        raise ValidationError(errors)
    conference = Conference.objects.create(
        team=team,
        kind=kind,
        starts_at=starts_at,
        place=place.strip(),
        chair=chair,
        created_by=user,
    )
    conference.participants.set(list(people.values()))
    audit_record(
        action=AuditAction.CREATE,
        user=user,
        request=request,
        obj=conference,
        ground=Ground.ROLE,
        details={"kind": kind, "participants": len(people)},
    )
    local = timezone.localtime(starts_at)
    notify(
        recipients=people.values(),
        kind=Kind.CONFERENCE_SCHEDULED,
        link=reverse("conferences:detail", args=[conference.pk]),
        key=f"conference-scheduled-{conference.pk}",
        text=gettext_lazy("Case conference on %(day)s at %(time)s, %(place)s"),
        params={
            "day": local.strftime("%d-%m-%Y"),
            "time": local.strftime("%H:%M"),
            "place": conference.place,
        },
        actor=user,
    )
    return conference


def _case_log(
    *,
    action: str,
    user: User,
    case: Case,
    ground: str,
    request: HttpRequest | None,
    **details: object,
) -> None:
    audit_record(
        action=action,
        user=user,
        request=request,
        subjects=case.household.current_member_ids(),
        obj=case,
        ground=ground,
        details={"conference": case.conference_id, **details},
    )


@transaction.atomic
def case_add(
    *,
    conference: Conference,
    household: Household,
    anonymised: str,
    question: str,
    user: User,
    request: HttpRequest | None = None,
) -> Case:
    """Put a household on the agenda with the question to decide on. Only a participant
    who may read the household does; the anonymised description and the question are
    read by everyone at the table, so they must not name the household."""
    ground = household_ground(user, household)
    if ground is None or not conference.participants.filter(pk=user.pk).exists():
        raise ValidationError(
            _("Only a participant who may read this household's file puts it on the agenda."),
            code="no_ground",
        )
    anonymised, question = anonymised.strip(), question.strip()
    errors: dict[str, str] = {}
    if not anonymised:
        errors["anonymised"] = _(
            "Describe the case without name, address or date of birth, for example: Casus B: "
            "gezin met 3 kinderen, schulden."
        )
    if not question:
        errors["question"] = _("Write what the conference needs to decide.")
    if conference.cases.filter(household=household).exists():
        errors["household"] = _("This household is already on this conference's agenda.")
    _refuse_names(
        errors, {"anonymised": anonymised, "question": question}, identifying_words(household)
    )
    if errors:
        raise ValidationError(errors)
    case = Case.objects.create(
        conference=conference,
        household=household,
        anonymised=anonymised,
        question=question,
        added_by=user,
    )
    _case_log(action=AuditAction.CREATE, user=user, case=case, ground=ground, request=request)
    return case


def _chair_only(case: Case, user: User) -> None:
    if case.conference.chair_id != user.pk:
        raise ValidationError(_("Only the chair records the decisions."), code="not_chair")


@transaction.atomic
def case_decide(
    *, case: Case, decision: str, reasons: str, user: User, request: HttpRequest | None = None
) -> Case:
    """The chair records what was decided and why. Everyone at the table reads it."""
    _chair_only(case, user)
    decision, reasons = decision.strip(), reasons.strip()
    errors: dict[str, str] = {}
    if not decision:
        errors["decision"] = _("Write what the conference decided.")
    if not reasons:
        errors["reasons"] = _("Write why: the reasons the conference weighed.")
    _refuse_names(
        errors, {"decision": decision, "reasons": reasons}, identifying_words(case.household)
    )
    if errors:
        raise ValidationError(errors)
    case.decision, case.reasons = decision, reasons
    case.decided_at, case.decided_by = timezone.now(), user
    case.save(update_fields=["decision", "reasons", "decided_at", "decided_by"])
    _case_log(
        action=AuditAction.UPDATE,
        user=user,
        case=case,
        ground=household_ground(user, case.household) or Ground.ROLE,
        request=request,
        change="decided",
    )
    return case


@transaction.atomic
def case_action_add(
    *,
    case: Case,
    goal: Goal | None,
    goal_text: str,
    domain: str,
    description: str,
    owner: str,
    step: int,
    due_date: dt.date | None,
    user: User,
    request: HttpRequest | None = None,
) -> Action:
    """An action the conference decided: who does what by when, at which step. It lands in
    the household's plan (under a goal of the plan, or a new goal in the resident's
    words), written by casework's own services, and the case keeps a link to it."""
    _chair_only(case, user)
    household = case.household
    ground = household_ground(user, household)
    if not case.is_decided:
        raise ValidationError(_("Record the decision first, then the actions it brings."))
    if not can_write(ground):
        raise ValidationError(
            _(
                "You may not change this household's plan. The lead worker or the team "
                "leader adds the actions."
            ),
            code="not_writer",
        )
    assert ground is not None
    errors: dict[str, str] = {}
    if goal is not None and (goal.plan.household_id != household.pk or goal.is_closed):
        errors["goal"] = _("Choose an open goal of this household's plan.")
    if goal is None and not goal_text.strip():
        errors["goal_text"] = _(
            "Choose a goal of the plan, or write a new goal in the resident's words."
        )
    if goal is None and domain not in LifeDomain.values:
        errors["domain"] = _("Choose the life domain of the new goal.")
    _refuse_names(errors, {"description": description}, identifying_words(household))
    if errors:
        raise ValidationError(errors)
    if goal is None:
        plan = plan_get_or_create(household=household, user=user, request=request, ground=ground)
        goal = goal_add(
            plan=plan, text=goal_text, domains=[domain], user=user, request=request, ground=ground
        )
    action = action_add(
        goal=goal,
        description=description,
        owner=owner,
        step=step,
        due_date=due_date,
        user=user,
        request=request,
        ground=ground,
    )
    case.actions.add(action)
    return action


@transaction.atomic
def precedent_mark(
    *,
    case: Case,
    title: str,
    situation: str,
    consideration: str,
    decision: str,
    principle: str,
    domain: str,
    user: User,
    request: HttpRequest | None = None,
) -> Precedent:
    """Keep a decision as a precedent, in anonymised words, so colleagues find it again."""
    _chair_only(case, user)
    fields = {
        "title": title.strip(),
        "situation": situation.strip(),
        "consideration": consideration.strip(),
        "decision": decision.strip(),
        "principle": principle.strip(),
    }
    errors: dict[str, str] = {}
    if not case.is_decided:
        errors["decision"] = _("Record the conference's decision first.")
    if Precedent.objects.filter(case=case).exists():
        errors["title"] = _("This decision is already a precedent.")
    missing = {
        "title": _("Give the precedent a short title colleagues will recognise."),
        "situation": _("Describe the situation, without name, address or date of birth."),
        "consideration": _("Write what the conference weighed."),
        "decision": _("Write what was decided."),
        "principle": _("Write the principle the decision rests on."),
    }
    for field, message in missing.items():
        if not fields[field] and field not in errors:
            errors[field] = message
    if domain not in LifeDomain.values:
        errors["domain"] = _("Choose the life domain it is about.")
    _refuse_names(errors, fields, identifying_words(case.household))
    if errors:
        raise ValidationError(errors)
    precedent = Precedent.objects.create(case=case, domain=domain, recorded_by=user, **fields)
    audit_record(
        action=AuditAction.CREATE,
        user=user,
        request=request,
        obj=precedent,
        ground=Ground.ROLE,
        details={"case": case.pk, "domain": domain},
    )
    return precedent
