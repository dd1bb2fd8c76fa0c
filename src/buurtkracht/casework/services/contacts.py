"""Contacts with the household and the conversation about what matters to them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.casework.models import (
    Contact,
    Conversation,
    LifeDomain,
)
from buurtkracht.casework.services.plans import _log, _past_or_today
from buurtkracht.households.models import Household

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User


@transaction.atomic
def contact_record(
    *,
    household: Household,
    worker: User,
    kind: str,
    note: str = "",
    with_whom: str = "",
    sensitive: bool = False,
    happened_at: dt.datetime | None = None,
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
) -> Contact:
    """Record a contact. Only the kind is needed: light registration (principle 6)."""
    if kind not in Contact.Kind.values:
        raise ValidationError({"kind": _("Choose what kind of contact it was.")})
    happened_at = happened_at or timezone.now()
    if happened_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError(
            {"happened_at": _("The contact lies in the future. Use now or earlier.")}
        )
    contact = Contact.objects.create(
        household=household,
        worker=worker,
        kind=kind,
        note=(note or "").strip(),
        with_whom=(with_whom or "").strip(),
        sensitive=sensitive,
        happened_at=happened_at,
    )
    _log(
        action=AuditAction.CREATE,
        user=worker,
        household=household,
        obj=contact,
        request=request,
        ground=ground,
        kind=kind,
    )
    return contact


@transaction.atomic
def conversation_record(
    *,
    household: Household,
    held_on: dt.date,
    what_matters: str,
    user: User,
    domains: list[str],
    with_whom: str = "",
    wants: str = "",
    tried: str = "",
    helpers: str = "",
    decided: str = "",
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
) -> Conversation:
    """Record a kitchen-table conversation in the resident's words."""
    errors: dict[str, str] = {}
    if not (what_matters or "").strip():
        errors["what_matters"] = _("Write what matters to the resident, in their words.")
    _past_or_today(errors, "held_on", held_on)
    if any(d not in LifeDomain.values for d in domains):
        errors["domains"] = _("Choose life domains from the list.")
    if errors:
        raise ValidationError(errors)
    conversation = Conversation.objects.create(
        household=household,
        held_on=held_on,
        by=user,
        with_whom=with_whom.strip(),
        what_matters=what_matters.strip(),
        wants=wants.strip(),
        tried=tried.strip(),
        helpers=helpers.strip(),
        domains=list(dict.fromkeys(domains)),
        decided=decided.strip(),
    )
    _log(
        action=AuditAction.CREATE,
        user=user,
        household=household,
        obj=conversation,
        request=request,
        ground=ground,
    )
    return conversation
