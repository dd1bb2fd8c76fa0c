"""Writes on the network map. Each service validates, writes inside a transaction and
records an audit event naming the household's residents.

The resident decides who is on the map (PRODUCT.md principle 4), so the resident may add,
change and end ties as well as the workers; saving a version is the worker's, at an intake
or a review."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core import validators
from buurtkracht.core.models import Organisation
from buurtkracht.core.versioning import version_claim
from buurtkracht.households.models import Household, Person
from buurtkracht.network.models import (
    Closeness,
    ContactState,
    Energy,
    Kind,
    NetworkVersion,
    Quality,
    Support,
    Tie,
)
from buurtkracht.network.queries import tie_state, ties_on

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User


def _log(
    *,
    action: str,
    user: User,
    household: Household,
    obj: Any,
    request: HttpRequest | None,
    ground: str,
    **details: Any,
) -> None:
    audit_record(
        action=action,
        user=user,
        request=request,
        subjects=household.current_member_ids(),
        obj=obj,
        ground=ground,
        details={"page": "network", **details},
    )


def _check_person(errors: dict[str, str], household: Household, person: Person) -> None:
    if person.pk not in household.current_member_ids():
        errors["person"] = _("Choose someone who lives in this household for the centre.")


def _validated(
    errors: dict[str, str],
    *,
    name: str,
    kind: str,
    relation: str,
    support: list[str],
    closeness: int,
    quality: str,
    energy: str,
    contact: str,
    phone: str,
) -> dict[str, Any]:
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Write the name the way the resident says it, for example “Aunt Els”.")
    elif len(name) > 100:
        errors["name"] = _("The name is too long: use at most 100 characters.")
    if kind not in Kind.values:
        errors["kind"] = _("Choose who it is: family, a friend, a neighbour, …")
    unknown = [s for s in support if s not in Support.values]
    if unknown:
        errors["support"] = _("Choose the kinds of support from the list.")
    if closeness not in Closeness.values:
        errors["closeness"] = _("Choose how close: close, in between or further away.")
    if quality not in Quality.values:
        errors["quality"] = _("Choose how the tie is: strong, weak, strained or broken.")
    if energy not in Energy.values:
        errors["energy"] = _("Choose whether the tie gives or costs energy.")
    if contact not in ContactState.values:
        errors["contact"] = _("Choose whether there was contact or the person is only known.")
    phone = (phone or "").strip()
    if phone:
        try:
            phone = validators.normalise_phone(phone)
        except ValidationError as error:
            errors["phone"] = error.messages[0]
    return {
        "name": name,
        "kind": kind,
        "relation": (relation or "").strip()[:150],
        "support": list(dict.fromkeys(s for s in support if s in Support.values)),
        "closeness": closeness,
        "quality": quality,
        "energy": energy,
        "contact": contact,
        "phone": phone,
    }


@transaction.atomic
def tie_add(
    *,
    household: Household,
    person: Person,
    name: str,
    kind: str,
    user: User,
    relation: str = "",
    support: list[str] | None = None,
    closeness: int = Closeness.MIDDLE,
    quality: str = Quality.STRONG,
    energy: str = Energy.NEUTRAL,
    contact: str = ContactState.CONTACTED,
    restored: bool = False,
    do_not_contact: bool = False,
    phone: str = "",
    note: str = "",
    organisation: Organisation | None = None,
    added_on: dt.date | None = None,
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
) -> Tie:
    """Put someone on the map of `person`, as the resident names them."""
    errors: dict[str, str] = {}
    _check_person(errors, household, person)
    fields = _validated(
        errors,
        name=name,
        kind=kind,
        relation=relation,
        support=support or [],
        closeness=closeness,
        quality=quality,
        energy=energy,
        contact=contact,
        phone=phone,
    )
    added_on = added_on or timezone.localdate()
    if message := validators.HAPPENED.error(added_on):
        errors["added_on"] = message
    if errors:
        raise ValidationError(errors)
    tie = Tie.objects.create(
        household=household,
        person=person,
        organisation=organisation,
        restored=restored,
        do_not_contact=do_not_contact,
        note=(note or "").strip(),
        added_on=added_on,
        recorded_by=user,
        **fields,
    )
    _log(
        action=AuditAction.CREATE,
        user=user,
        household=household,
        obj=tie,
        request=request,
        ground=ground,
        change="tie added",
    )
    return tie


@transaction.atomic
def tie_update(
    *,
    tie: Tie,
    user: User,
    name: str,
    kind: str,
    relation: str = "",
    support: list[str] | None = None,
    closeness: int = Closeness.MIDDLE,
    quality: str = Quality.STRONG,
    energy: str = Energy.NEUTRAL,
    contact: str = ContactState.CONTACTED,
    restored: bool = False,
    do_not_contact: bool = False,
    phone: str = "",
    note: str = "",
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
    expected_version: int | None = None,
) -> Tie:
    """Change how a tie is now. What it was before stays in the saved versions of the
    map. Refused (ChangedMeanwhile, nothing saved) when someone else changed the tie
    after the user opened it at `expected_version`."""
    errors: dict[str, str] = {}
    if tie.ended_on is not None:
        errors["__all__"] = _("This tie has ended. Add the person again if they are back.")
    fields = _validated(
        errors,
        name=name,
        kind=kind,
        relation=relation,
        support=support or [],
        closeness=closeness,
        quality=quality,
        energy=energy,
        contact=contact,
        phone=phone,
    )
    if errors:
        raise ValidationError(errors)
    version_claim(tie, expected_version)
    before = tie_state(tie)
    for attribute, value in fields.items():
        setattr(tie, attribute, value)
    tie.restored = restored
    tie.do_not_contact = do_not_contact
    tie.note = (note or "").strip()
    tie.save()
    after = tie_state(tie)
    changed = sorted(
        attribute
        for attribute in before.as_json()
        if before.as_json()[attribute] != after.as_json()[attribute]
    )
    _log(
        action=AuditAction.UPDATE,
        user=user,
        household=tie.household,
        obj=tie,
        request=request,
        ground=ground,
        change="tie changed",
        fields=changed,
    )
    return tie


@transaction.atomic
def tie_set_do_not_contact(
    *, tie: Tie, do_not_contact: bool, user: User, request: HttpRequest | None = None, ground: str
) -> Tie:
    """The resident says this person must (not) be approached. Open plan actions they own
    stay, but the plan no longer offers them as an owner."""
    version_claim(tie, None)
    tie.do_not_contact = do_not_contact
    tie.save(update_fields=["do_not_contact", "updated_at"])
    _log(
        action=AuditAction.UPDATE,
        user=user,
        household=tie.household,
        obj=tie,
        request=request,
        ground=ground,
        change="do not contact" if do_not_contact else "may be contacted",
    )
    return tie


@transaction.atomic
def tie_end(
    *,
    tie: Tie,
    user: User,
    ended_on: dt.date | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
) -> Tie:
    """End a tie: it leaves the map from that day but stays in the history, so earlier
    versions and the map on a past date still show it."""
    ended_on = ended_on or timezone.localdate()
    errors: dict[str, str] = {}
    if tie.ended_on is not None:
        errors["__all__"] = _("This tie has already ended.")
    if message := validators.HAPPENED.error(ended_on):
        errors["ended_on"] = message
    elif ended_on < tie.added_on:
        errors["ended_on"] = _(
            "The tie cannot end before it was put on the map (%(date)s). Choose a later date."
        ) % {"date": tie.added_on.strftime("%d-%m-%Y")}
    if errors:
        raise ValidationError(errors)
    tie.ended_on = ended_on
    tie.end_reason = (reason or "").strip()[:300]
    version_claim(tie, None)
    tie.save(update_fields=["ended_on", "end_reason", "updated_at"])
    _log(
        action=AuditAction.UPDATE,
        user=user,
        household=tie.household,
        obj=tie,
        request=request,
        ground=ground,
        change="tie ended",
    )
    return tie


@transaction.atomic
def version_save(
    *,
    household: Household,
    person: Person,
    label: str,
    user: User,
    saved_on: dt.date | None = None,
    note: str = "",
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
) -> NetworkVersion:
    """Keep the map of `person` as it is on `saved_on` (today by default), to compare
    later. Phone numbers and notes are not copied into the version."""
    errors: dict[str, str] = {}
    _check_person(errors, household, person)
    label = (label or "").strip()
    if not label:
        errors["label"] = _("Give the version a name, for example “Intake” or “Review”.")
    elif len(label) > 100:
        errors["label"] = _("The name is too long: use at most 100 characters.")
    saved_on = saved_on or timezone.localdate()
    if message := validators.HAPPENED.error(saved_on):
        errors["saved_on"] = message
    if errors:
        raise ValidationError(errors)
    ties = [tie_state(tie).as_json() for tie in ties_on(household, person, saved_on)]
    version = NetworkVersion.objects.create(
        household=household,
        person=person,
        saved_on=saved_on,
        label=label,
        note=(note or "").strip()[:500],
        ties=ties,
        saved_by=user,
    )
    _log(
        action=AuditAction.CREATE,
        user=user,
        household=household,
        obj=version,
        request=request,
        ground=ground,
        change="network version saved",
        ties=len(ties),
    )
    return version
