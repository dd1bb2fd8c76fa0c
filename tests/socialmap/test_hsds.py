"""HSDS 3 exchange: the export validates against the official schema files, an export
imported again gives the same social map, and a bad object is named and left out."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import uuid
from typing import Any

import pytest
from django.core.management import call_command

from buurtkracht.socialmap import hsds
from buurtkracht.socialmap.models import Location, Provider, Resource
from buurtkracht.socialmap.services import ResourceInput, hsds_import, resource_propose
from tests import factories
from tests.socialmap.helpers import community_worker, entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def social_map(db: None) -> None:
    user = community_worker()
    district = factories.DistrictFactory.create(name="Oost")
    east = factories.NeighbourhoodFactory.create(parent=district, name="Lindenbuurt")
    entry(
        user,
        address="Marktplein 1",
        postcode="7401AB",
        city="Lindenhoven",
        accessibility="Drempelvrij, lift",
        opening_hours="ma 9:00-12:00, wo 13:00-16:30",
        contact_name="Anna Vermeer",
        contact_phone="0570-123456",
        contact_email="schuldhulp@lindenhoven.example",
        languages=["Nederlands", "Turks"],
        age_min=18,
        target_group="Volwassenen met geldzorgen",
        cost="Gratis",
        website="https://lindenhoven.example/schuldhulp",
    )
    entry(
        user,
        name="Wandelclub Lindenstraat",
        provider_name="Bewoners Lindenstraat",
        description="Elke week samen wandelen",
        kind=Resource.Kind.RESIDENT_INITIATIVE,
        informal=True,
        access=Resource.Access.OPEN,
        life_domains=["social_network", "physical_health"],
        neighbourhoods=[east],
        verified_on=dt.date(2024, 3, 1),
    )
    entry(user, name="Zonder datum", description="Nooit gecontroleerd", verified_on=None)
    resource_propose(
        data=ResourceInput(name="Voorstel", provider_name="X", description="y"), user=user
    )


def _without_stamp(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "exported_at"}


def test_the_export_validates_against_the_hsds_schema(social_map: None) -> None:
    document = hsds.export_document()
    assert hsds.document_errors(document) == []
    assert len(document["services"]) == 3  # the proposal is not exported
    walk = next(s for s in document["services"] if s["name"] == "Wandelclub Lindenstraat")
    assert walk["assured_date"] == "2024-03-01"
    assert walk["service_areas"][0]["name"] == "Lindenbuurt"
    debt = next(s for s in document["services"] if s["name"] == "Schuldhulp Lindenhoven")
    schedules = debt["service_at_locations"][0]["schedules"]
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in schedules] == [
        ("MO", "09:00", "12:00"),
        ("WE", "13:00", "16:30"),
    ]
    assert debt["contacts"][0]["phones"][0]["number"] == "0570-123456"


def test_the_schema_catches_a_broken_object(social_map: None) -> None:
    document = hsds.export_document()
    broken = copy.deepcopy(document)
    del broken["services"][0]["status"]
    with_place = next(s for s in broken["services"] if s["service_at_locations"])
    with_place["service_at_locations"][0]["schedules"][0]["freq"] = "DAILY"
    broken["organizations"][0]["locations"] = [{"id": "x", "location_type": "boat"}]
    errors = hsds.document_errors(broken)
    assert any("'status' is a required property" in e for e in errors)
    assert any("'boat' is not one of" in e for e in errors)
    assert any("'DAILY' is not one of" in e for e in errors)


def test_an_export_imported_again_gives_the_same_social_map(social_map: None) -> None:
    first = hsds.export_document()
    # A fresh database: nothing of the social map left.
    Resource.objects.all().delete()
    Location.objects.all().delete()
    Provider.objects.all().delete()
    result = hsds_import(raw=json.dumps(first))
    assert result.errors == []
    assert result.services_created == 3
    second = hsds.export_document()
    assert _without_stamp(second) == _without_stamp(first)
    # Importing it once more changes nothing and makes no copies.
    again = hsds_import(raw=json.dumps(first))
    assert again.services_updated == 3 and again.services_created == 0
    assert _without_stamp(hsds.export_document()) == _without_stamp(first)
    assert Resource.objects.filter(status=Resource.Status.PUBLISHED).count() == 3


def test_import_keeps_the_valid_and_names_each_bad_object(social_map: None) -> None:
    document = hsds.export_document()
    Resource.objects.all().delete()
    services = document["services"]
    services[0]["status"] = "open"  # not in the HSDS enumeration
    services[1]["service_areas"] = [{"id": str(uuid.uuid4()), "name": "Atlantis"}]
    services.append({"id": "not-a-uuid", "name": "Kapot", "status": "active", "description": "x"})
    services.append(
        {
            "id": str(uuid.uuid4()),
            "name": "Wees",
            "status": "active",
            "description": "x",
            "organization_id": str(uuid.uuid4()),
        }
    )
    result = hsds_import(raw=json.dumps(document))
    assert result.services_created == 1
    assert len(result.errors) == 4
    text = "\n".join(result.errors)
    assert "Aanbod 1" in text and "'open' is not one of" in text
    assert "Atlantis" in text
    assert "Kapot" in text and "UUID" in text
    assert "Wees" in text and "organisatie ontbreekt" in text


def test_import_refuses_script_links_and_keeps_the_rest(social_map: None) -> None:
    """Issue 15, finding 9: the import stored `javascript:` links, which the entry's page
    then offered as its website."""
    document = hsds.export_document()
    Resource.objects.all().delete()
    Provider.objects.all().delete()
    services = document["services"]
    services[0]["url"] = "javascript:alert(document.cookie)"
    services[1]["url"] = " JaVa\tScript:alert(1)"
    services[2]["url"] = "https://lindenhoven.example/ok"
    organization = copy.deepcopy(document["organizations"][0])
    organization.update(id=str(uuid.uuid4()), name="Kwaadaardig", website="data:text/html,x")
    document["organizations"].append(organization)
    result = hsds_import(raw=json.dumps(document))
    assert result.services_created == 1
    text = "\n".join(result.errors)
    assert len(result.errors) == 3, text
    assert "Aanbod 1" in text and "Aanbod 2" in text and "javascript" in text.lower()
    assert "Kwaadaardig" in text and "begint met http:// of https://" in text
    assert not Provider.objects.filter(name="Kwaadaardig").exists()
    assert Resource.objects.get().website == "https://lindenhoven.example/ok"
    assert not Resource.objects.filter(website__icontains="script").exists()


def test_a_file_that_is_not_json_is_refused_whole() -> None:
    with pytest.raises(hsds.ImportError_):
        hsds.load_document(b"\x00 not json")
    with pytest.raises(hsds.ImportError_):
        hsds.load_document(b'"a string"')


def test_the_commands_round_trip(social_map: None, tmp_path: Any) -> None:
    target = tmp_path / "kaart.json"
    call_command("export_hsds", output=target)
    exported = json.loads(target.read_text())
    Resource.objects.all().delete()
    out = io.StringIO()
    call_command("import_hsds", str(target), stdout=out)
    assert "3 services created" in out.getvalue()
    assert _without_stamp(hsds.export_document()) == _without_stamp(exported)
