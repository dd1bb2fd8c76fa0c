"""Exporting the published social map as an HSDS document."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from buurtkracht.core.models import Area
from buurtkracht.socialmap.hsds.terms import ACCESS_TEXT, BYDAY, CBS_PREFIX, EXTENSION, HSDS_VERSION
from buurtkracht.socialmap.models import (
    Location,
    OpeningHours,
    Provider,
    Resource,
    ResourceLocation,
)

# -- export -------------------------------------------------------------------------


def _sub_id(parent: uuid.UUID, what: str) -> str:
    return str(uuid.uuid5(parent, what))


def _location_json(location: Location) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(location.id),
        "location_type": "physical",
        "organization_id": str(location.provider_id),
        "name": location.name,
    }
    if location.latitude is not None and location.longitude is not None:
        data["latitude"] = location.latitude
        data["longitude"] = location.longitude
    if location.address or location.postcode or location.city:
        data["addresss"] = [
            {
                "id": _sub_id(location.id, "address"),
                "location_id": str(location.id),
                "address_1": location.address,
                "city": location.city,
                "state_province": "",
                "postal_code": location.postcode,
                "country": "NL",
                "address_type": "physical",
            }
        ]
    if location.accessibility:
        data["accessibilitys"] = [
            {
                "id": _sub_id(location.id, "accessibility"),
                "location_id": str(location.id),
                "description": location.accessibility,
            }
        ]
    return data


def _service_json(resource: Resource) -> dict[str, Any]:
    rid = resource.id
    data: dict[str, Any] = {
        "id": str(rid),
        "organization_id": str(resource.provider_id),
        "name": resource.name,
        "description": resource.description,
        "status": "active",
        "application_process": ACCESS_TEXT[Resource.Access(resource.access)],
        "fees_description": resource.cost,
        "eligibility_description": resource.target_group,
    }
    if resource.website:
        data["url"] = resource.website
    if resource.age_min is not None:
        data["minimum_age"] = resource.age_min
    if resource.age_max is not None:
        data["maximum_age"] = resource.age_max
    if resource.verified_on is not None:
        data["assured_date"] = resource.verified_on.isoformat()
    data["languages"] = [
        {"id": _sub_id(rid, f"language:{name}"), "service_id": str(rid), "name": name}
        for name in resource.languages
    ]
    data["service_areas"] = [
        {
            "id": _sub_id(rid, f"area:{area.cbs_code}"),
            "service_id": str(rid),
            "name": area.name,
            "uri": f"{CBS_PREFIX}{area.cbs_code}",
        }
        for area in resource.neighbourhoods.all()
    ]
    if resource.contact_name or resource.contact_phone or resource.contact_email:
        contact_id = _sub_id(rid, "contact")
        contact: dict[str, Any] = {
            "id": contact_id,
            "service_id": str(rid),
            "name": resource.contact_name,
        }
        if resource.contact_email:
            contact["email"] = resource.contact_email
        if resource.contact_phone:
            contact["phones"] = [
                {
                    "id": _sub_id(rid, "contact-phone"),
                    "contact_id": contact_id,
                    "number": resource.contact_phone,
                }
            ]
        data["contacts"] = [contact]
    else:
        data["contacts"] = []
    data["service_at_locations"] = [
        {
            "id": str(place.id),
            "service_id": str(rid),
            "location_id": str(place.location_id),
            "description": place.note,
            "schedules": [
                {
                    "id": str(hours.id),
                    "service_at_location_id": str(place.id),
                    "freq": "WEEKLY",
                    "byday": BYDAY[hours.weekday],
                    "opens_at": hours.opens_at.strftime("%H:%M"),
                    "closes_at": hours.closes_at.strftime("%H:%M"),
                }
                for hours in place.hours.all()
            ],
        }
        for place in resource.places.all()
    ]
    data[EXTENSION] = {
        "kind": resource.kind,
        "informal": resource.informal,
        "life_domains": list(resource.life_domains),
        "access": resource.access,
    }
    return data


def export_document() -> dict[str, Any]:
    """The published social map as one HSDS document (see the module docstring)."""
    resources = (
        Resource.objects.filter(status=Resource.Status.PUBLISHED)
        .prefetch_related(
            Prefetch("neighbourhoods", queryset=Area.objects.order_by("cbs_code")),
            Prefetch(
                "places",
                queryset=ResourceLocation.objects.order_by("id").prefetch_related(
                    Prefetch(
                        "hours", queryset=OpeningHours.objects.order_by("weekday", "opens_at", "id")
                    )
                ),
            ),
        )
        .order_by("id")
    )
    services = [_service_json(resource) for resource in resources]
    provider_ids = {service["organization_id"] for service in services}
    providers = (
        Provider.objects.filter(id__in=provider_ids)
        .prefetch_related(Prefetch("locations", queryset=Location.objects.order_by("id")))
        .order_by("id")
    )
    organizations = []
    for provider in providers:
        organization: dict[str, Any] = {
            "id": str(provider.id),
            "name": provider.name,
            "description": provider.description,
        }
        if provider.email:
            organization["email"] = provider.email
        if provider.website:
            organization["website"] = provider.website
        organization["locations"] = [_location_json(loc) for loc in provider.locations.all()]
        organizations.append(organization)
    return {
        "hsds_version": HSDS_VERSION,
        "generator": "Buurtkracht",
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "organizations": organizations,
        "services": services,
    }
