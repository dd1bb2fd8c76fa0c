"""Writes on instruments and assessments. Every assessment is an audit event on the
household's residents."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core import validators
from buurtkracht.households.models import Household, Person
from buurtkracht.outcomes.models import Assessment, Instrument, InstrumentVersion

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User


def item_field(code: str) -> str:
    """The form field (and error key) of one item of an instrument."""
    return f"item_{code}"


def _coerce(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def validate_scores(version: InstrumentVersion, scores: dict[str, Any]) -> dict[str, int]:
    """The scores as {item code: value}, every value on the version's scale.

    An item may be left out (not every life domain comes up in every conversation); at
    least one must be scored. Errors name the item, so the form shows them at the item."""
    values = version.scale_values()
    lowest, highest = min(values), max(values)
    items = {item["code"]: item for item in version.items}
    errors: dict[str, str] = {}
    clean: dict[str, int] = {}
    for code, raw in scores.items():
        if raw in (None, ""):
            continue
        if code not in items:
            errors["scores"] = _("“%(item)s” is not part of this instrument.") % {"item": code}
            continue
        value = _coerce(raw)
        if value is None or value not in values:
            errors[item_field(code)] = _(
                "“%(item)s”: choose one of the levels from %(low)s to %(high)s."
            ) % {"item": items[code]["label"], "low": lowest, "high": highest}
            continue
        clean[code] = value
    if not clean and not errors:
        errors["scores"] = _("Choose a level for at least one item.")
    if errors:
        raise ValidationError(errors)
    # Keep the instrument's own order, so the record reads like the form.
    return {code: clean[code] for code in items if code in clean}


@transaction.atomic
def assessment_record(
    *,
    household: Household,
    instrument_version: InstrumentVersion,
    moment: str,
    perspective: str,
    held_on: dt.date,
    scores: dict[str, Any],
    user: User,
    person: Person | None = None,
    note: str = "",
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
) -> Assessment:
    """Record an assessment taken together with the resident (at intake, a review or the
    closure). The worker's view and the resident's own view are separate assessments.

    The assessment points at the instrument version it was taken with, so a later change
    of the instrument never changes what was recorded."""
    errors: dict[str, str] = {}
    if moment not in Assessment.Moment.values:
        errors["moment"] = _("Choose when this assessment was taken.")
    if perspective not in Assessment.Perspective.values:
        errors["perspective"] = _("Choose whose view this is: the worker's or the resident's.")
    if message := validators.HAPPENED.error(held_on):
        errors["held_on"] = message
    if person is not None and person.pk not in household.current_member_ids():
        errors["person"] = _("Choose a member of this household, or the household as a whole.")
    try:
        clean = validate_scores(instrument_version, scores)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors[field] = " ".join(messages)
    if errors:
        raise ValidationError(errors)
    assessment = Assessment.objects.create(
        household=household,
        person=person,
        instrument_version=instrument_version,
        moment=moment,
        perspective=perspective,
        held_on=held_on,
        scores=clean,
        note=(note or "").strip(),
        by=user,
    )
    audit_record(
        action=AuditAction.CREATE,
        user=user,
        request=request,
        subjects=[person.pk] if person else household.current_member_ids(),
        obj=assessment,
        ground=ground,
        details={
            "instrument": instrument_version.instrument.code,
            "version": instrument_version.number,
            "moment": moment,
            "perspective": perspective,
        },
    )
    return assessment


@transaction.atomic
def instrument_version_create(
    *, instrument: Instrument, items: list[dict[str, Any]], scale: list[dict[str, Any]]
) -> InstrumentVersion:
    """A new definition of an instrument. It becomes the active one; earlier versions stay
    as they are, with their assessments."""
    for entry in items:
        if not entry.get("code") or not entry.get("label"):
            raise ValidationError({"items": _("Every item needs a code and a label.")})
    values = [level.get("value") for level in scale]
    if not scale or any(_coerce(v) is None for v in values) or len(set(values)) != len(values):
        raise ValidationError({"scale": _("Every level of the scale needs its own number.")})
    last = instrument.versions.order_by("-number").first()
    instrument.versions.filter(active=True).update(active=False)
    return InstrumentVersion.objects.create(
        instrument=instrument,
        number=(last.number + 1) if last else 1,
        items=items,
        scale=scale,
        active=True,
    )
