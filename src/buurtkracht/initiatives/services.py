"""Writes on resident initiatives and budgets (issue 8).

Residents propose, change, withdraw and report back through their secret link, without
an account; community workers record support, link a budget, record the decisions of
the route (on behalf of a jury or a neighbourhood platform), the funders and the payment.
Staff writes are audit events; initiators are not registered residents, so the events
name no residents.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtkracht.accounts.models import Role
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core import validators
from buurtkracht.core.models import Area, Organisation
from buurtkracht.initiatives.models import (
    Budget,
    Decider,
    Decision,
    Funding,
    Initiative,
    Report,
    ReportPhoto,
    RouteStep,
    Support,
)
from buurtkracht.initiatives.photos import MAX_PHOTOS, photo_clean

MAX_COST = Decimal("1000000")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")


# --- the secret link ------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def initiative_by_token(token: str) -> Initiative | None:
    """The initiative whose link carries this token, or None. Only the hash is stored;
    the final comparison is constant-time, so timing says nothing about a guess."""
    if not token or len(token) > 100:
        return None
    digest = token_hash(token)
    initiative = (
        Initiative.objects.select_related("neighbourhood", "budget")
        .filter(token_hash=digest)
        .first()
    )
    if initiative is None or not hmac.compare_digest(initiative.token_hash, digest):
        return None
    return initiative


# --- proposing ------------------------------------------------------------------------


@dataclass
class InitiativeInput:
    """What the initiators fill in on the public form."""

    title: str
    description: str
    neighbourhood: Area | None
    for_whom: str
    cost: str
    own_contribution: str
    cost_breakdown: str = ""
    helpers: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""


def parse_euros(text: str) -> Decimal:
    """An amount as people write it: "800", "€ 800,50", "1.250", "1250.00"."""
    value = (text or "").replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
    value = value.removesuffix(",-").removesuffix(",--")
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", value):
        value = value.replace(".", "")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValidationError(_("Write the amount in euros, for example 800 or 1250,50.")) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError(_("Write the amount in euros, for example 800 or 1250,50."))
    if amount > MAX_COST:
        raise ValidationError(_("That is more than a resident budget can pay."))
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


# What is missing, in one place for the form and the service.
REQUIRED = {
    "title": gettext_lazy("Give your initiative a name."),
    "description": gettext_lazy("Say in a few sentences what you want to do."),
    "neighbourhood": gettext_lazy("Choose the neighbourhood where it happens."),
    "for_whom": gettext_lazy("Say for whom it is: the street, children, older neighbours…"),
    "cost": gettext_lazy("Write the amount in euros, for example 800 or 1250,50."),
    "own_contribution": gettext_lazy(
        "Say what you and your neighbours do yourselves. That is what makes it an initiative."
    ),
    "contact_name": gettext_lazy("Give your name, so the community worker knows who you are."),
}


def initiative_errors(data: InitiativeInput) -> dict[str, str]:
    """Everything wrong with a proposal at once, per field."""
    return _validate(data)[0]


def _validate(data: InitiativeInput) -> tuple[dict[str, str], Decimal]:
    errors: dict[str, str] = {}
    cost = Decimal("0")
    for name in ("title", "description", "for_whom", "own_contribution", "contact_name"):
        if not str(getattr(data, name)).strip():
            errors[name] = str(REQUIRED[name])
    if data.neighbourhood is None or data.neighbourhood.kind != Area.Kind.NEIGHBOURHOOD:
        errors["neighbourhood"] = str(REQUIRED["neighbourhood"])
    try:
        cost = parse_euros(data.cost)
    except ValidationError as error:
        errors["cost"] = error.messages[0]
    if data.contact_email.strip():
        try:
            validate_email(data.contact_email.strip())
        except ValidationError:
            errors["contact_email"] = _(
                "This e-mail address is not complete, e.g. naam@voorbeeld.nl."
            )
    elif not data.contact_phone.strip():
        errors["contact_email"] = _(
            "Give an e-mail address or a phone number, so the community worker can reach you."
        )
    if data.contact_phone.strip() and len(re.sub(r"\D", "", data.contact_phone)) < 10:
        errors["contact_phone"] = _("A phone number has 10 digits, for example 06 12345678.")
    return errors, cost


def budget_for(neighbourhood: Area, *, on: dt.date | None = None) -> Budget | None:
    """The open budget for a neighbourhood on a day: the neighbourhood's own budget
    first, else its district's."""
    day = on or timezone.localdate()
    candidates = Budget.objects.filter(
        Q(area=neighbourhood) | Q(area_id=neighbourhood.parent_id),
        active=True,
        starts_on__lte=day,
        ends_on__gte=day,
    ).select_related("area")
    ordered = sorted(candidates, key=lambda b: (b.area.kind != Area.Kind.NEIGHBOURHOOD, b.name))
    return ordered[0] if ordered else None


def _apply(initiative: Initiative, data: InitiativeInput, cost: Decimal) -> None:
    assert data.neighbourhood is not None
    initiative.title = data.title.strip()
    initiative.description = data.description.strip()
    initiative.neighbourhood = data.neighbourhood
    initiative.for_whom = data.for_whom.strip()
    initiative.cost = cost
    initiative.cost_breakdown = data.cost_breakdown.strip()
    initiative.own_contribution = data.own_contribution.strip()
    initiative.helpers = data.helpers.strip()
    initiative.contact_name = data.contact_name.strip()
    initiative.contact_email = data.contact_email.strip()
    initiative.contact_phone = data.contact_phone.strip()


@transaction.atomic
def initiative_propose(*, data: InitiativeInput) -> tuple[Initiative, str]:
    """A resident or group sends in an initiative. Returns it with the secret token for
    its link; the token is stored only as a hash and cannot be shown again. The open
    budget of the neighbourhood is linked at once, so the initiators see their route."""
    errors, cost = _validate(data)
    if errors:
        raise ValidationError(errors)
    token = secrets.token_urlsafe(24)
    initiative = Initiative(token_hash=token_hash(token))
    _apply(initiative, data, cost)
    assert data.neighbourhood is not None
    initiative.budget = budget_for(data.neighbourhood)
    initiative.save()
    return initiative, token


def initiative_input_of(initiative: Initiative) -> InitiativeInput:
    return InitiativeInput(
        title=initiative.title,
        description=initiative.description,
        neighbourhood=initiative.neighbourhood,
        for_whom=initiative.for_whom,
        cost=f"{initiative.cost:.2f}".replace(".", ",").removesuffix(",00"),
        own_contribution=initiative.own_contribution,
        cost_breakdown=initiative.cost_breakdown,
        helpers=initiative.helpers,
        contact_name=initiative.contact_name,
        contact_email=initiative.contact_email,
        contact_phone=initiative.contact_phone,
    )


@transaction.atomic
def initiative_update(*, initiative: Initiative, data: InitiativeInput) -> Initiative:
    """The initiators change their proposal: while it waits, or when they were asked to.
    After asked-for changes it goes back to the step that asked for them."""
    if initiative.status not in Initiative.EDITABLE:
        raise ValidationError(_("This proposal can no longer be changed."))
    errors, cost = _validate(data)
    if errors:
        raise ValidationError(errors)
    moved = data.neighbourhood != initiative.neighbourhood
    _apply(initiative, data, cost)
    if initiative.status == Initiative.Status.CHANGES_REQUESTED:
        initiative.status = Initiative.Status.IN_ASSESSMENT
    elif moved and data.neighbourhood is not None:
        initiative.budget = budget_for(data.neighbourhood)
    initiative.save()
    return initiative


@transaction.atomic
def initiative_withdraw(*, initiative: Initiative) -> Initiative:
    """The initiators stop. Possible until the money is paid."""
    if initiative.status not in Initiative.OPEN | {Initiative.Status.APPROVED}:
        raise ValidationError(_("This proposal can no longer be withdrawn."))
    initiative.status = Initiative.Status.WITHDRAWN
    initiative.save(update_fields=["status", "updated_at"])
    return initiative


# --- the route ------------------------------------------------------------------------


def current_step(initiative: Initiative) -> RouteStep | None:
    """The first step of the route that has not said yes yet (its latest decision)."""
    if initiative.budget is None:
        return None
    latest: dict[Any, str] = {}
    for decision in initiative.decisions.order_by("decided_at"):
        latest[decision.step_id] = decision.outcome
    for step in initiative.steps():
        if latest.get(step.pk) != Decision.Outcome.APPROVE:
            return step
    return None


@dataclass
class NextStep:
    who: str
    what: str


def next_step(initiative: Initiative) -> NextStep | None:
    """Who takes the next step and what it is, in words for the initiators."""
    status = initiative.status
    s = Initiative.Status
    if status == s.SUBMITTED:
        return NextStep(
            _("the community worker"),
            _("looks at your proposal, contacts you and starts the assessment."),
        )
    if status == s.IN_ASSESSMENT:
        step = current_step(initiative)
        if step is None:
            return NextStep(_("the community worker"), _("records the last decision."))
        checks = ", ".join(step.check_labels())
        what = (
            _("decides on your proposal: %(checks)s.") % {"checks": checks}
            if checks
            else _("decides on your proposal.")
        )
        return NextStep(step.who, what)
    if status == s.CHANGES_REQUESTED:
        return NextStep(_("you"), _("change your proposal and send it again."))
    if status == s.APPROVED:
        return NextStep(_("the community worker"), _("arranges the money with the funders."))
    if status == s.RUNNING:
        return NextStep(_("you"), _("carry out your initiative and tell afterwards how it went."))
    return None


def _staff(user: Any, *roles: str) -> None:
    if user is None or not any(user.has_role(role) for role in roles):
        raise PermissionDenied


@transaction.atomic
def support_record(
    *,
    initiative: Initiative,
    date: dt.date,
    what: str,
    user: Any,
    request: HttpRequest | None = None,
) -> Support:
    """A community worker records how they supported the initiators."""
    _staff(user, Role.COMMUNITY_WORKER)
    errors: dict[str, str] = {}
    if not what.strip():
        errors["what"] = _("Say in a line what you did.")
    if date > timezone.localdate():
        errors["date"] = _("The date cannot be in the future.")
    elif message := validators.HAPPENED.error(date):
        errors["date"] = message
    if errors:
        raise ValidationError(errors)
    support = Support.objects.create(initiative=initiative, date=date, what=what.strip(), by=user)
    audit_record(
        action=AuditAction.CREATE, user=user, request=request, obj=support, ground=Ground.ROLE
    )
    return support


@transaction.atomic
def budget_assign(
    *, initiative: Initiative, budget: Budget, user: Any, request: HttpRequest | None = None
) -> Initiative:
    """Link the budget and start the assessment along its route."""
    _staff(user, Role.COMMUNITY_WORKER)
    if initiative.status not in (Initiative.Status.SUBMITTED, Initiative.Status.IN_ASSESSMENT):
        raise ValidationError({"budget": _("The budget can only be chosen before any decision.")})
    if initiative.decisions.exists() and budget != initiative.budget:
        raise ValidationError({"budget": _("The budget can only be chosen before any decision.")})
    hood = initiative.neighbourhood
    if budget.area_id not in (hood.pk, hood.parent_id):
        raise ValidationError(
            {"budget": _("This budget is not for the initiative's neighbourhood.")}
        )
    if not budget.steps_for(initiative.cost):
        raise ValidationError(
            {"budget": _("This budget has no route for this amount. Ask the administrator.")}
        )
    initiative.budget = budget
    initiative.status = Initiative.Status.IN_ASSESSMENT
    initiative.save(update_fields=["budget", "status", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        user=user,
        request=request,
        obj=initiative,
        ground=Ground.ROLE,
        details={"budget": str(budget.pk), "status": initiative.status},
    )
    return initiative


def may_decide(user: Any, step: RouteStep) -> bool:
    """Community workers record every decision (for a jury or platform on its behalf);
    a policy advisor records the decision of an official."""
    if user is None:
        return False
    if user.has_role(Role.COMMUNITY_WORKER):
        return True
    return bool(user.has_role(Role.POLICY_ADVISOR) and step.decider == Decider.OFFICIAL)


@transaction.atomic
def decision_record(
    *,
    initiative: Initiative,
    outcome: str,
    reason: str,
    decided_as: str = "",
    reference: str = "",
    user: Any,
    request: HttpRequest | None = None,
) -> Decision:
    """Record the decision of the current step. A reason is always required: the
    initiators read it. Yes on the last step approves the initiative."""
    step = current_step(initiative)
    if initiative.status != Initiative.Status.IN_ASSESSMENT or step is None:
        raise ValidationError(_("There is no step waiting for a decision."))
    if not may_decide(user, step):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if outcome not in Decision.Outcome.values:
        errors["outcome"] = _("Choose the decision.")
    if not reason.strip():
        errors["reason"] = _("Write why. The initiators read this.")
    if step.decider == Decider.VOTE and not reference.strip():
        errors["reference"] = _("Name the voting round and its result.")
    if errors:
        raise ValidationError(errors)
    decision = Decision.objects.create(
        initiative=initiative,
        step=step,
        outcome=outcome,
        reason=reason.strip(),
        decided_as=decided_as.strip() or step.who,
        reference=reference.strip(),
        recorded_by=user,
    )
    if outcome == Decision.Outcome.REJECT:
        initiative.status = Initiative.Status.REJECTED
    elif outcome == Decision.Outcome.CHANGES:
        initiative.status = Initiative.Status.CHANGES_REQUESTED
    elif current_step(initiative) is None:
        initiative.status = Initiative.Status.APPROVED
        initiative.approved_amount = initiative.cost
    initiative.save(update_fields=["status", "approved_amount", "updated_at"])
    audit_record(
        action=AuditAction.CREATE,
        user=user,
        request=request,
        obj=decision,
        ground=Ground.ROLE,
        details={"initiative": str(initiative.pk), "outcome": outcome, "status": initiative.status},
    )
    return decision


# --- money and results ----------------------------------------------------------------


@dataclass
class FundingShare:
    percent: Decimal
    organisation: Organisation | None = None
    name: str = ""


@transaction.atomic
def funding_set(
    *,
    initiative: Initiative,
    shares: list[FundingShare],
    user: Any,
    request: HttpRequest | None = None,
) -> list[Funding]:
    """Record who pays which share of the approved amount. The shares add up to 100%;
    the amounts follow from them (the last funder takes the rounding cent)."""
    _staff(user, Role.COMMUNITY_WORKER)
    if initiative.status != Initiative.Status.APPROVED or initiative.approved_amount is None:
        raise ValidationError(_("Funders can be recorded once the initiative is approved."))
    shares = [s for s in shares if s.percent or s.organisation or s.name.strip()]
    if not shares:
        raise ValidationError(_("Name at least one funder with its share."))
    for share in shares:
        if share.organisation is None and not share.name.strip():
            raise ValidationError(_("Name every funder: choose an organisation or type a name."))
        if share.percent <= 0 or share.percent > HUNDRED:
            raise ValidationError(_("Every share is more than 0% and at most 100%."))
    total = sum((s.percent for s in shares), Decimal("0"))
    if total != HUNDRED:
        raise ValidationError(
            _("The shares add up to %(total)s%%; together they must be 100%%.")
            % {"total": f"{total.normalize():f}".replace(".", ",")}
        )
    initiative.fundings.all().delete()
    amount = initiative.approved_amount
    made: list[Funding] = []
    rest = amount
    for index, share in enumerate(shares):
        part = (
            rest
            if index == len(shares) - 1
            else (amount * share.percent / HUNDRED).quantize(CENT, ROUND_HALF_UP)
        )
        rest -= part
        made.append(
            Funding.objects.create(
                initiative=initiative,
                organisation=share.organisation,
                funder_name=share.name.strip()
                or (share.organisation.name if share.organisation else ""),
                share_percent=share.percent,
                amount=part,
            )
        )
    audit_record(
        action=AuditAction.UPDATE,
        user=user,
        request=request,
        obj=initiative,
        ground=Ground.ROLE,
        details={"funding": [[f.funder_name, str(f.share_percent)] for f in made]},
    )
    return made


@transaction.atomic
def initiative_mark_paid(
    *,
    initiative: Initiative,
    paid_on: dt.date | None = None,
    user: Any,
    request: HttpRequest | None = None,
) -> Initiative:
    """The money is paid: the initiative runs."""
    _staff(user, Role.COMMUNITY_WORKER)
    if initiative.status != Initiative.Status.APPROVED:
        raise ValidationError(_("Only an approved initiative can be paid."))
    if not initiative.fundings.exists():
        raise ValidationError(_("Record the funders first."))
    initiative.paid_on = paid_on or timezone.localdate()
    initiative.status = Initiative.Status.RUNNING
    initiative.save(update_fields=["paid_on", "status", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        user=user,
        request=request,
        obj=initiative,
        ground=Ground.ROLE,
        details={"status": initiative.status},
    )
    return initiative


@transaction.atomic
def report_create(
    *,
    initiative: Initiative,
    story: str,
    attendance: int | None,
    photos: list[tuple[UploadedFile, str]] | None = None,
    photos_agreed: bool = False,
    user: Any = None,
    request: HttpRequest | None = None,
) -> Report:
    """The report back afterwards: a short story, how many people took part and up to
    three photos, each with a description (its alternative text). The initiators write it
    through their link, or a community worker for them. Photos are public, so whoever
    sends them confirms that the people recognisable in them agreed."""
    if user is not None:
        _staff(user, Role.COMMUNITY_WORKER)
    if initiative.status not in (Initiative.Status.APPROVED, Initiative.Status.RUNNING):
        raise ValidationError(_("You can tell how it went once the initiative is approved."))
    errors: dict[str, str] = {}
    if not story.strip():
        errors["story"] = _("Tell in a few sentences how it went.")
    if attendance is None or attendance < 0:
        errors["attendance"] = _("Give about how many people took part, for example 12.")
    clean_photos: list[tuple[ContentFile[bytes], str]] = []
    for number, (upload, description) in enumerate((photos or [])[:MAX_PHOTOS], start=1):
        try:
            clean_photos.append((photo_clean(upload), description.strip()))
        except ValidationError as error:
            errors[f"photo_{number}"] = " ".join(error.messages)
        if not description.strip():
            errors[f"description_{number}"] = _(
                "Say in a few words what the photo shows, for people who cannot see it."
            )
    if photos and not photos_agreed:
        errors["photos_agreed"] = _(
            "Photos appear on a public page. Tick that the people recognisable in them "
            "agreed, or leave the photos out."
        )
    if errors:
        raise ValidationError(errors)
    assert attendance is not None
    report = Report.objects.create(
        initiative=initiative, story=story.strip(), attendance=attendance
    )
    for content, description in clean_photos:
        photo = ReportPhoto(report=report, description=description)
        photo.image.save(content.name or "photo.jpg", content, save=False)
        photo.save()
    initiative.status = Initiative.Status.REPORTED
    initiative.save(update_fields=["status", "updated_at"])
    if user is not None:
        audit_record(
            action=AuditAction.CREATE, user=user, request=request, obj=report, ground=Ground.ROLE
        )
    return report


@dataclass
class BudgetLine:
    budget: Budget
    committed: Decimal
    paid: Decimal
    waiting: int

    @property
    def left(self) -> Decimal:
        return self.budget.amount - self.committed


def budget_overview(budgets: Any) -> list[BudgetLine]:
    """Per budget: approved (committed), paid, what is left, and how many proposals wait.
    One query per figure, whatever the number of budgets."""
    budgets = list(budgets)
    ids = [b.pk for b in budgets]
    committed = dict(
        Initiative.objects.filter(budget_id__in=ids, status__in=Initiative.COMMITTED)
        .values_list("budget_id")
        .annotate(total=Sum("approved_amount"))
    )
    paid = dict(
        Initiative.objects.filter(budget_id__in=ids, paid_on__isnull=False)
        .values_list("budget_id")
        .annotate(total=Sum("approved_amount"))
    )
    waiting = dict(
        Initiative.objects.filter(budget_id__in=ids, status__in=Initiative.OPEN)
        .values_list("budget_id")
        .annotate(total=Count("id"))
    )
    zero = Decimal("0")
    return [
        BudgetLine(
            budget=b,
            committed=committed.get(b.pk) or zero,
            paid=paid.get(b.pk) or zero,
            waiting=waiting.get(b.pk) or 0,
        )
        for b in budgets
    ]
