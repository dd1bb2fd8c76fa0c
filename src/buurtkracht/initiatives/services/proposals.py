"""The initiator's side: the secret link, proposing, changing and withdrawing."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtkracht.accounts.models import Role
from buurtkracht.core.models import Area
from buurtkracht.core.versioning import version_claim
from buurtkracht.initiatives.models import (
    Budget,
    Initiative,
)
from buurtkracht.notifications.kinds import Kind
from buurtkracht.notifications.recipients import holders_of
from buurtkracht.notifications.services import notify

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
    notify(
        recipients=holders_of(Role.COMMUNITY_WORKER),
        kind=Kind.PROPOSAL,
        link=reverse("initiatives:detail", args=[initiative.pk]),
        key=f"initiative-proposal:{initiative.pk}",
        text=gettext_lazy("A resident initiative waits for a community worker."),
    )
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
def initiative_update(
    *, initiative: Initiative, data: InitiativeInput, expected_version: int | None = None
) -> Initiative:
    """The initiators change their proposal: while it waits, or when they were asked to.
    After asked-for changes it goes back to the step that asked for them. Refused
    (ChangedMeanwhile, nothing saved) when the proposal changed after it was opened at
    `expected_version`: by a co-initiator, or by a decision asking for changes."""
    if initiative.status not in Initiative.EDITABLE:
        raise ValidationError(_("This proposal can no longer be changed."))
    errors, cost = _validate(data)
    if errors:
        raise ValidationError(errors)
    version_claim(initiative, expected_version)
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
    version_claim(initiative, None)
    initiative.save(update_fields=["status", "updated_at"])
    return initiative
