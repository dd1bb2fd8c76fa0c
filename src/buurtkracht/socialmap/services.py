"""Writes on the social map. Workers and community workers publish and edit entries;
volunteers and residents propose them, and a community worker or team leader accepts or
rejects a proposal (issue 6). Every write is an audit event; the social map holds no
resident data, so the events name no residents."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtkracht.accounts.models import Role
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.casework.models import LifeDomain
from buurtkracht.core import validators
from buurtkracht.core.models import Area
from buurtkracht.core.versioning import version_claim
from buurtkracht.notifications.kinds import Kind
from buurtkracht.notifications.recipients import holders_of
from buurtkracht.notifications.services import notify
from buurtkracht.socialmap.models import (
    Location,
    OpeningHours,
    Provider,
    Resource,
    ResourceLocation,
)
from buurtkracht.socialmap.search import search_document_refresh

if TYPE_CHECKING:
    from buurtkracht.accounts.models import User

# Who assesses proposals (the moderation pages' roles, socialmap/views.py).
MODERATORS = (Role.COMMUNITY_WORKER, Role.TEAM_LEADER)

# Dutch day abbreviations as people write them on a poster: "ma 9:00-12:00".
DAYS = {
    "ma": 1,
    "maandag": 1,
    "di": 2,
    "dinsdag": 2,
    "wo": 3,
    "woensdag": 3,
    "do": 4,
    "donderdag": 4,
    "vr": 5,
    "vrijdag": 5,
    "za": 6,
    "zaterdag": 6,
    "zo": 7,
    "zondag": 7,
}
DAY_SHORT = {1: "ma", 2: "di", 3: "wo", 4: "do", 5: "vr", 6: "za", 7: "zo"}
_HOURS_LINE = re.compile(
    r"^\s*(?P<day>[a-z]+)\.?\s+(?P<oh>\d{1,2})[:.](?P<om>\d{2})\s*[-–]\s*(?P<ch>\d{1,2})[:.](?P<cm>\d{2})\s*$"
)
MAX_AGE = 120


@dataclass
class ResourceInput:
    """What a form (or an import) says about a resource, its provider and its one main
    location. Everything but name, provider and description may be empty."""

    name: str
    provider_name: str
    description: str
    kind: str = Resource.Kind.SERVICE
    informal: bool = False
    age_min: int | None = None
    age_max: int | None = None
    target_group: str = ""
    life_domains: list[str] = field(default_factory=list)
    neighbourhoods: list[Area] = field(default_factory=list)
    access: str = Resource.Access.OPEN
    cost: str = ""
    languages: list[str] = field(default_factory=list)
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    website: str = ""
    verified_on: dt.date | None = None
    location_name: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    accessibility: str = ""
    opening_hours: str = ""


def hours_parse(text: str) -> list[tuple[int, dt.time, dt.time]]:
    """Opening hours written one per line or separated by commas, e.g.
    "ma 9:00-12:00, do 13:30-16:00". Raises a ValidationError naming the bad part."""
    result: list[tuple[int, dt.time, dt.time]] = []
    for raw in re.split(r"[\n,;]+", text or ""):
        if not raw.strip():
            continue
        match = _HOURS_LINE.match(raw.lower())
        day = DAYS.get(match["day"]) if match else None
        if match is None or day is None:
            raise ValidationError(
                _("“%(part)s” is not clear. Write a day and times, for example: ma 9:00-12:00.")
                % {"part": raw.strip()}
            )
        try:
            opens = dt.time(int(match["oh"]), int(match["om"]))
            closes = dt.time(int(match["ch"]), int(match["cm"]))
        except ValueError:
            raise ValidationError(
                _("“%(part)s” has a time that does not exist.") % {"part": raw.strip()}
            ) from None
        if closes <= opens:
            raise ValidationError(
                _("“%(part)s”: the closing time must come after the opening time.")
                % {"part": raw.strip()}
            )
        result.append((day, opens, closes))
    return sorted(result)


def hours_text(hours: list[OpeningHours]) -> str:
    return ", ".join(
        f"{DAY_SHORT[h.weekday]} {h.opens_at:%H:%M}-{h.closes_at:%H:%M}" for h in hours
    )


def _validate(data: ResourceInput) -> tuple[dict[str, str], list[tuple[int, dt.time, dt.time]]]:
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = _("Give the name of what is offered.")
    if not data.provider_name.strip():
        errors["provider_name"] = _(
            "Say who offers it: an organisation, a church, a club or a group."
        )
    if not data.description.strip():
        errors["description"] = _("Describe in a few words what it offers.")
    if data.kind not in Resource.Kind.values:
        errors["kind"] = _("Choose what kind of help this is.")
    if data.access not in Resource.Access.values:
        errors["access"] = _("Choose how people get in.")
    unknown = [code for code in data.life_domains if code not in LifeDomain.values]
    if unknown:
        errors["life_domains"] = _("Unknown life domain: %(codes)s.") % {
            "codes": ", ".join(unknown)
        }
    for name, value in (("age_min", data.age_min), ("age_max", data.age_max)):
        if value is not None and not 0 <= value <= MAX_AGE:
            errors[name] = _("Give an age from 0 to %(max)s.") % {"max": MAX_AGE}
    if (
        data.age_min is not None
        and data.age_max is not None
        and "age_min" not in errors
        and "age_max" not in errors
        and data.age_min > data.age_max
    ):
        errors["age_max"] = _("The maximum age is lower than the minimum age.")
    if message := validators.link_error(data.website, validators.WEB_SCHEMES):
        errors["website"] = message
    if data.verified_on is not None and (message := validators.HAPPENED.error(data.verified_on)):
        errors["verified_on"] = message
    non_neighbourhoods = [a for a in data.neighbourhoods if a.kind != Area.Kind.NEIGHBOURHOOD]
    if non_neighbourhoods:
        errors["neighbourhoods"] = _("Choose neighbourhoods, not districts.")
    hours: list[tuple[int, dt.time, dt.time]] = []
    try:
        hours = hours_parse(data.opening_hours)
    except ValidationError as error:
        errors["opening_hours"] = " ".join(error.messages)
    if hours and not (data.address.strip() or data.location_name.strip()):
        errors["address"] = _("Opening hours belong to a place: give the address too.")
    return errors, hours


def _provider_for(name: str) -> Provider:
    name = " ".join(name.split())
    provider = Provider.objects.filter(name__iexact=name).order_by("name").first()
    return provider or Provider.objects.create(name=name)


def _apply(
    resource: Resource, data: ResourceInput, hours: list[tuple[int, dt.time, dt.time]]
) -> None:
    resource.provider = _provider_for(data.provider_name)
    resource.name = data.name.strip()
    resource.description = data.description.strip()
    resource.kind = data.kind
    resource.informal = data.informal
    resource.age_min = data.age_min
    resource.age_max = data.age_max
    resource.target_group = data.target_group.strip()
    resource.life_domains = [code for code in LifeDomain.values if code in data.life_domains]
    resource.access = data.access
    resource.cost = data.cost.strip()
    resource.languages = [lang.strip() for lang in data.languages if lang.strip()]
    resource.contact_name = data.contact_name.strip()
    resource.contact_phone = data.contact_phone.strip()
    resource.contact_email = data.contact_email.strip()
    resource.website = data.website.strip()
    resource.verified_on = data.verified_on
    resource.whole_municipality = not data.neighbourhoods
    resource.save()
    resource.neighbourhoods.set(data.neighbourhoods)
    _main_place_set(resource, data, hours)
    search_document_refresh(resource)


def _main_place_set(
    resource: Resource, data: ResourceInput, hours: list[tuple[int, dt.time, dt.time]]
) -> None:
    """The form edits one place: the first one. Other places (from an import) stay."""
    place = resource.places.select_related("location").order_by("location__name", "pk").first()
    has_place = bool(data.address.strip() or data.location_name.strip())
    if not has_place:
        if place is not None:
            place.delete()
        return
    location = Location(provider=resource.provider) if place is None else place.location
    location.name = data.location_name.strip()
    location.address = data.address.strip()
    location.postcode = data.postcode.strip().upper()
    location.city = data.city.strip()
    location.accessibility = data.accessibility.strip()
    location.save()
    if place is None:
        place = ResourceLocation.objects.create(resource=resource, location=location)
    place.hours.all().delete()
    OpeningHours.objects.bulk_create(
        [OpeningHours(place=place, weekday=d, opens_at=o, closes_at=c) for d, o, c in hours]
    )


def _check(data: ResourceInput) -> list[tuple[int, dt.time, dt.time]]:
    errors, hours = _validate(data)
    if errors:
        raise ValidationError(errors)
    return hours


@transaction.atomic
def resource_create(
    *, data: ResourceInput, user: User | None, request: HttpRequest | None = None
) -> Resource:
    """Publish a new entry (workers, team leaders, community workers)."""
    hours = _check(data)
    resource = Resource(status=Resource.Status.PUBLISHED)
    _apply(resource, data, hours)
    audit_record(
        action=AuditAction.CREATE, user=user, request=request, obj=resource, ground=Ground.ROLE
    )
    return resource


@transaction.atomic
def resource_update(
    *,
    resource: Resource,
    data: ResourceInput,
    user: User,
    request: HttpRequest | None = None,
    expected_version: int | None = None,
) -> Resource:
    """Change an entry. Editing is not checking: `verified_on` changes only when the form
    says so, so a typo fix does not hide that the rest is a year old. Refused
    (ChangedMeanwhile, nothing saved) when someone else changed the entry after the user
    opened it at `expected_version`."""
    hours = _check(data)
    version_claim(resource, expected_version)
    _apply(resource, data, hours)
    audit_record(
        action=AuditAction.UPDATE, user=user, request=request, obj=resource, ground=Ground.ROLE
    )
    return resource


@transaction.atomic
def resource_propose(
    *, data: ResourceInput, user: User | None, request: HttpRequest | None = None
) -> Resource:
    """A volunteer or resident suggests an entry; it waits for a moderator and is not on
    the map until accepted."""
    hours = _check(data)
    resource = Resource(status=Resource.Status.PROPOSED, proposed_by=user)
    _apply(resource, data, hours)
    audit_record(
        action=AuditAction.CREATE,
        user=user,
        request=request,
        obj=resource,
        ground=Ground.ROLE,
        details={"status": "proposed"},
    )
    notify(
        recipients=holders_of(*MODERATORS),
        kind=Kind.PROPOSAL,
        link=reverse("socialmap:moderate", args=[resource.pk]),
        key=f"resource-proposal:{resource.pk}",
        text=gettext_lazy("A proposal for the social map waits for a moderator."),
        actor=user,
    )
    return resource


@transaction.atomic
def resource_verify(
    *, resource: Resource, user: User, request: HttpRequest | None = None, on: dt.date | None = None
) -> Resource:
    """Record that someone checked the entry with the provider today."""
    version_claim(resource, None)
    resource.verified_on = on or timezone.localdate()
    resource.save(update_fields=["verified_on", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        user=user,
        request=request,
        obj=resource,
        ground=Ground.ROLE,
        details={"verified_on": resource.verified_on.isoformat()},
    )
    return resource


def _moderate_check(resource: Resource) -> None:
    if resource.status != Resource.Status.PROPOSED:
        raise ValidationError(_("This proposal has already been assessed."))


@transaction.atomic
def resource_accept(
    *, resource: Resource, user: User, request: HttpRequest | None = None
) -> Resource:
    """Put a proposal on the map. Accepting counts as checking it: the moderator read it."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    _moderate_check(resource)
    resource.status = Resource.Status.PUBLISHED
    resource.moderated_by = user
    resource.moderated_at = timezone.now()
    resource.verified_on = resource.verified_on or timezone.localdate()
    version_claim(resource, None)
    resource.save()
    audit_record(
        action=AuditAction.UPDATE,
        user=user,
        request=request,
        obj=resource,
        ground=Ground.ROLE,
        details={"status": "published"},
    )
    return resource


@transaction.atomic
def resource_reject(
    *, resource: Resource, reason: str, user: User, request: HttpRequest | None = None
) -> Resource:
    """Turn a proposal down, with a reason the proposer can read."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give a reason, so the person who proposed it knows why.")}
        )
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    _moderate_check(resource)
    resource.status = Resource.Status.REJECTED
    resource.moderated_by = user
    resource.moderated_at = timezone.now()
    resource.rejection_reason = reason
    version_claim(resource, None)
    resource.save()
    audit_record(
        action=AuditAction.UPDATE,
        user=user,
        request=request,
        obj=resource,
        ground=Ground.ROLE,
        reason=reason,
        details={"status": "rejected"},
    )
    return resource


def resource_input_of(resource: Resource) -> ResourceInput:
    """The current state as form input (for editing)."""
    place = resource.places.select_related("location").order_by("location__name", "pk").first()
    location = place.location if place else None
    return ResourceInput(
        name=resource.name,
        provider_name=resource.provider.name,
        description=resource.description,
        kind=resource.kind,
        informal=resource.informal,
        age_min=resource.age_min,
        age_max=resource.age_max,
        target_group=resource.target_group,
        life_domains=list(resource.life_domains),
        neighbourhoods=list(resource.neighbourhoods.all()),
        access=resource.access,
        cost=resource.cost,
        languages=list(resource.languages),
        contact_name=resource.contact_name,
        contact_phone=resource.contact_phone,
        contact_email=resource.contact_email,
        website=resource.website,
        verified_on=resource.verified_on,
        location_name=location.name if location else "",
        address=location.address if location else "",
        postcode=location.postcode if location else "",
        city=location.city if location else "",
        accessibility=location.accessibility if location else "",
        opening_hours=hours_text(list(place.hours.all())) if place else "",
    )


def hsds_import(
    *, raw: bytes | str, user: User | None = None, request: HttpRequest | None = None
) -> Any:
    """Import an HSDS 3 JSON document (see `socialmap.hsds`): every valid object is kept,
    every other one is listed with what is wrong. Raises `hsds.ImportError_` when the
    file as a whole cannot be read."""
    from buurtkracht.socialmap import hsds

    result = hsds.import_document(hsds.load_document(raw))
    audit_record(
        action=AuditAction.CREATE,
        user=user,
        request=request,
        ground=Ground.ROLE,
        details={
            "socialmap_import": True,
            "organizations": result.organizations,
            "services_created": result.services_created,
            "services_updated": result.services_updated,
            "errors": len(result.errors),
        },
    )
    return result


def hsds_export(*, user: User | None = None, request: HttpRequest | None = None) -> dict[str, Any]:
    """The published social map as an HSDS 3 document; logged as an export."""
    from buurtkracht.socialmap import hsds

    document = hsds.export_document()
    audit_record(
        action=AuditAction.EXPORT,
        user=user,
        request=request,
        ground=Ground.ROLE,
        details={"socialmap_export": True, "services": len(document["services"])},
    )
    return document
