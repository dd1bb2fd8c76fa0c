"""Importing an HSDS document: checking every object, then creating or updating by UUID."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from buurtkracht.casework.models import LifeDomain
from buurtkracht.core.models import Area
from buurtkracht.core.validators import WEB_SCHEMES, link_error
from buurtkracht.core.versioning import version_claim
from buurtkracht.socialmap.hsds.terms import CBS_PREFIX, EXTENSION, WEEKDAY_OF
from buurtkracht.socialmap.hsds.validation import schema_errors
from buurtkracht.socialmap.models import (
    Location,
    OpeningHours,
    Provider,
    Resource,
    ResourceLocation,
)
from buurtkracht.socialmap.search import search_document_refresh

# -- import -------------------------------------------------------------------------


@dataclass
class ImportResult:
    organizations: int = 0
    services_created: int = 0
    services_updated: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def services(self) -> int:
        return self.services_created + self.services_updated


class ImportError_(Exception):
    """The file as a whole cannot be read; nothing was imported."""


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def _text(value: Any, limit: int | None = None) -> str:
    text = value.strip() if isinstance(value, str) else ""
    return text[:limit] if limit else text


def _age(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if 0 <= value <= 150 else None


def _time(value: Any) -> dt.time | None:
    # HSDS allows a zone suffix ("09:00Z", "09:00+01:00"); opening hours here are local.
    text = _text(value)[:5]
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        return None


def _label(kind: str, index: int, item: Any) -> str:
    name = item.get("name") if isinstance(item, dict) else None
    return f"{kind} {index + 1}" + (f" (“{name}”)" if isinstance(name, str) and name else "")


def load_document(raw: bytes | str) -> dict[str, Any]:
    """Read an HSDS document: our shape, or a plain list of services (each with its
    `organization` nested, as the HSDS API gives them)."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportError_(_("The file is not valid JSON: %(error)s") % {"error": error}) from None
    if isinstance(data, list):
        data = {"services": data}
    if not isinstance(data, dict) or not isinstance(data.get("services", []), list):
        raise ImportError_(
            _(
                "The file is not an HSDS document: "
                "expected an object with “organizations” and “services”."
            )
        )
    organizations = list(data.get("organizations") or [])
    known = {o.get("id") for o in organizations if isinstance(o, dict)}
    for service in data.get("services") or []:
        nested = service.get("organization") if isinstance(service, dict) else None
        if isinstance(nested, dict) and nested.get("id") not in known:
            organizations.append(nested)
            known.add(nested.get("id"))
    return {"organizations": organizations, "services": list(data.get("services") or [])}


def _import_organization(item: dict[str, Any]) -> Provider:
    provider_id = uuid.UUID(item["id"])
    provider, _created = Provider.objects.update_or_create(
        id=provider_id,
        defaults={
            "name": _text(item.get("name"), 200),
            "description": _text(item.get("description")),
            "email": _text(item.get("email"), 254),
            "website": _text(item.get("website"), 200),
        },
    )
    return provider


def _import_location(item: dict[str, Any], provider: Provider) -> tuple[Location | None, str]:
    location_id = _uuid(item.get("id"))
    if location_id is None:
        return None, _(
            "the location has no valid id (a UUID, like 3f2b6c1e-…); export the file again "
            "from the system it came from"
        )
    addresses = [a for a in item.get("addresss") or [] if isinstance(a, dict)]
    address = addresses[0] if addresses else {}
    access = [a for a in item.get("accessibilitys") or [] if isinstance(a, dict)]
    latitude, longitude = item.get("latitude"), item.get("longitude")
    location, _created = Location.objects.update_or_create(
        id=location_id,
        defaults={
            "provider": provider,
            "name": _text(item.get("name"), 200),
            "address": _text(address.get("address_1"), 200),
            "postcode": _text(address.get("postal_code"), 7),
            "city": _text(address.get("city"), 80),
            "latitude": latitude if isinstance(latitude, int | float) else None,
            "longitude": longitude if isinstance(longitude, int | float) else None,
            "accessibility": "\n".join(_text(a.get("description")) for a in access).strip(),
        },
    )
    return location, ""


def _service_areas(item: dict[str, Any]) -> tuple[list[Area], list[str]]:
    areas: list[Area] = []
    unknown: list[str] = []
    for area_item in item.get("service_areas") or []:
        if not isinstance(area_item, dict):
            continue
        uri, name = _text(area_item.get("uri")), _text(area_item.get("name"))
        found = None
        if uri.startswith(CBS_PREFIX):
            found = Area.objects.filter(cbs_code=uri[len(CBS_PREFIX) :]).first()
        if found is None and name:
            found = Area.objects.filter(name__iexact=name, kind=Area.Kind.NEIGHBOURHOOD).first()
        if found is None:
            unknown.append(name or uri or "?")
        elif found.kind == Area.Kind.DISTRICT:
            areas += list(found.children.all())
        else:
            areas.append(found)
    return areas, unknown


def _import_service(
    item: dict[str, Any], locations: dict[uuid.UUID, Location]
) -> tuple[bool, list[str]]:
    """Create or update one service. Returns (created, problems); with problems nothing of
    this service is written."""
    problems: list[str] = []
    service_id = uuid.UUID(item["id"])
    provider_id = _uuid(item.get("organization_id") or (item.get("organization") or {}).get("id"))
    provider = Provider.objects.filter(id=provider_id).first() if provider_id else None
    if provider is None:
        problems.append(_("its organization is missing from the file (organization_id)"))
    raw_ext = item.get(EXTENSION)
    ext: dict[str, Any] = raw_ext if isinstance(raw_ext, dict) else {}
    kind = ext.get("kind", Resource.Kind.SERVICE)
    if kind not in Resource.Kind.values:
        problems.append(_("unknown kind “%(kind)s”") % {"kind": kind})
    access = ext.get("access", Resource.Access.OPEN)
    if access not in Resource.Access.values:
        problems.append(_("unknown access “%(access)s”") % {"access": access})
    domains = ext.get("life_domains") or []
    bad_domains = [d for d in domains if d not in LifeDomain.values]
    if bad_domains:
        problems.append(
            _("unknown life domain %(codes)s") % {"codes": ", ".join(map(str, bad_domains))}
        )
    if message := link_error(_text(item.get("url"), 200), WEB_SCHEMES):
        problems.append(_("url: %(message)s") % {"message": message})
    assured = None
    if item.get("assured_date"):
        try:
            assured = dt.date.fromisoformat(_text(item.get("assured_date"))[:10])
        except ValueError:
            problems.append(_("assured_date is not a date (YYYY-MM-DD)"))
    areas, unknown_areas = _service_areas(item)
    if unknown_areas:
        problems.append(
            _("unknown neighbourhood %(names)s: add it under Configuration first")
            % {"names": ", ".join(unknown_areas)}
        )
    places: list[
        tuple[uuid.UUID, Location, str, list[tuple[uuid.UUID | None, int, dt.time, dt.time]]]
    ] = []
    for place in item.get("service_at_locations") or []:
        place_id = _uuid(place.get("id"))
        location_id = _uuid(place.get("location_id") or (place.get("location") or {}).get("id"))
        location = locations.get(location_id) if location_id else None
        if location is None and location_id is not None:
            location = Location.objects.filter(id=location_id).first()
        if place_id is None or location is None:
            problems.append(_("a service_at_location points at a location that is not in the file"))
            continue
        hours = []
        for schedule in place.get("schedules") or []:
            opens, closes = _time(schedule.get("opens_at")), _time(schedule.get("closes_at"))
            days = [
                WEEKDAY_OF.get(d.strip())
                for d in _text(schedule.get("byday")).split(",")
                if d.strip()
            ]
            if opens is None or closes is None or not days or None in days:
                problems.append(
                    _("a schedule is not weekly opening hours (byday, opens_at, closes_at)")
                )
                continue
            for day in days:
                assert day is not None
                hours.append(
                    (_uuid(schedule.get("id")) if len(days) == 1 else None, day, opens, closes)
                )
        places.append((place_id, location, _text(place.get("description"), 300), hours))
    if problems or provider is None:
        return False, problems
    contacts = [c for c in item.get("contacts") or [] if isinstance(c, dict)]
    contact = contacts[0] if contacts else {}
    phones = [p for p in contact.get("phones") or [] if isinstance(p, dict)]
    phones = phones or [p for p in item.get("phones") or [] if isinstance(p, dict)]
    resource, created = Resource.objects.update_or_create(
        id=service_id,
        defaults={
            "provider": provider,
            "name": _text(item.get("name"), 200),
            "description": _text(item.get("description")),
            "kind": kind,
            "informal": bool(ext.get("informal", kind in Resource.INFORMAL_KINDS)),
            "age_min": _age(item.get("minimum_age")),
            "age_max": _age(item.get("maximum_age")),
            "target_group": _text(item.get("eligibility_description"), 300),
            "life_domains": [d for d in LifeDomain.values if d in domains],
            "access": access,
            "cost": _text(item.get("fees_description"), 300),
            "languages": [
                _text(lang.get("name"), 60)
                for lang in item.get("languages") or []
                if isinstance(lang, dict) and _text(lang.get("name"))
            ],
            "contact_name": _text(contact.get("name"), 150),
            "contact_email": _text(contact.get("email") or item.get("email"), 254),
            "contact_phone": _text(phones[0].get("number"), 40) if phones else "",
            "website": _text(item.get("url"), 200),
            "verified_on": assured,
            "status": Resource.Status.PUBLISHED,
            "whole_municipality": not areas,
        },
    )
    if not created:  # an edit form opened before the import must not undo it
        version_claim(resource, None)
    resource.neighbourhoods.set(areas)
    resource.places.exclude(id__in=[p[0] for p in places]).delete()
    for place_id, location, note, hours in places:
        ResourceLocation.objects.filter(id=place_id).exclude(resource=resource).delete()
        place_obj, _created = ResourceLocation.objects.update_or_create(
            id=place_id, defaults={"resource": resource, "location": location, "note": note}
        )
        place_obj.hours.all().delete()
        OpeningHours.objects.bulk_create(
            [
                OpeningHours(
                    id=hid or uuid.uuid4(), place=place_obj, weekday=d, opens_at=o, closes_at=c
                )
                for hid, d, o, c in hours
            ]
        )
    search_document_refresh(resource)
    return created, []


def import_document(document: dict[str, Any]) -> ImportResult:
    """Import organizations (with their locations) and services. Every object is checked
    against the HSDS schema and our own rules on its own: an object with a problem is
    left out with a clear message, everything valid is kept."""
    result = ImportResult()
    locations: dict[uuid.UUID, Location] = {}
    for index, item in enumerate(document.get("organizations", [])):
        label = _label(_("Organization"), index, item)
        if not isinstance(item, dict):
            result.errors.append(f"{label}: " + _("not an object"))
            continue
        errors = schema_errors("organization", item)
        if not errors and _uuid(item.get("id")) is None:
            errors = [
                _(
                    "the id is not a UUID (like 3f2b6c1e-…); export the file again from the system "
                    "it came from"
                )
            ]
        if not errors and (message := link_error(_text(item.get("website"), 200), WEB_SCHEMES)):
            errors = [_("website: %(message)s") % {"message": message}]
        if errors:
            result.errors.append(f"{label}: " + "; ".join(errors))
            continue
        with transaction.atomic():
            provider = _import_organization(item)
            for loc_index, loc_item in enumerate(item.get("locations") or []):
                location, problem = _import_location(loc_item, provider)
                if location is None:
                    result.errors.append(
                        f"{label}, " + _label(_("location"), loc_index, loc_item) + f": {problem}"
                    )
                else:
                    locations[location.id] = location
        result.organizations += 1
    for index, item in enumerate(document.get("services", [])):
        label = _label(_("Service"), index, item)
        if not isinstance(item, dict):
            result.errors.append(f"{label}: " + _("not an object"))
            continue
        service_item = {k: v for k, v in item.items() if k != "organization"}
        errors = schema_errors("service", service_item)
        if not errors and _uuid(item.get("id")) is None:
            errors = [
                _(
                    "the id is not a UUID (like 3f2b6c1e-…); export the file again from the system "
                    "it came from"
                )
            ]
        if not errors and not _text(item.get("description")):
            errors = [_("description is empty: say what the service offers")]
        if errors:
            result.errors.append(f"{label}: " + "; ".join(errors))
            continue
        with transaction.atomic():
            created, problems = _import_service(item, locations)
        if problems:
            result.errors.append(f"{label}: " + "; ".join(problems))
        elif created:
            result.services_created += 1
        else:
            result.services_updated += 1
    return result
