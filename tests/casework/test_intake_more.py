"""Intake, continued: finding a person by name and date of birth, linking the address of
a name-only intake later, and teams whose members assign the lead worker themselves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from buurtkracht.audit.models import Action, AuditEvent
from buurtkracht.casework.models import Intake
from buurtkracht.households.models import Household, Involvement
from tests import factories
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _resident_of(personas: Personas) -> object:
    return personas.household.current_memberships().get().person


def test_a_name_with_date_of_birth_finds_the_file_even_without_an_address(
    client: Client, personas: Personas
) -> None:
    personas.make_worker_lead()
    person = _resident_of(personas)
    person.surname, person.surname_prefix = "Çelik", ""  # type: ignore[attr-defined]
    person.save()  # type: ignore[attr-defined]
    client.force_login(personas.worker)
    data = {
        "source": "general_practice",
        "description": "Huisarts maakt zich zorgen",
        "name": "mevr. F. Celik",  # written without the cedilla
        "date_of_birth": "17-05-1970",
    }
    response = client.post(reverse("casework:intake-new"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Open het bestaande dossier op" in page
    assert reverse("workspace:household", args=[personas.household.pk]) in page
    assert "mevr. F. Celik" in page  # what was typed is kept
    assert not Intake.objects.exists()
    search = AuditEvent.objects.filter(action=Action.SEARCH).latest("pk")
    assert person.pk in search.subject_ids  # type: ignore[attr-defined]
    # Another date of birth is another person: the intake is simply saved.
    data["date_of_birth"] = "18-05-1970"
    assert client.post(reverse("casework:intake-new"), data).status_code == 302
    assert Intake.objects.get().date_of_birth == dt.date(1970, 5, 18)


def test_a_date_of_birth_in_the_future_is_refused_with_the_text_kept(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.worker)
    response = client.post(
        reverse("casework:intake-new"),
        {
            "source": "school",
            "description": "Vaak afwezig",
            "name": "Sem",
            "date_of_birth": "01-01-2099",
        },
    )
    assert response.status_code == 400
    assert "De geboortedatum ligt in de toekomst" in response.content.decode()
    assert "Vaak afwezig" in response.content.decode()


def test_the_address_of_a_name_only_intake_is_linked_later_and_the_intake_moves_team(
    client: Client, personas: Personas
) -> None:
    other_team = factories.TeamFactory._meta.model.objects.get(name="Team West")
    elsewhere = factories.AddressFactory.create(
        neighbourhood=other_team.neighbourhoods.get(), house_number=77
    )
    client.force_login(personas.worker)
    client.post(
        reverse("casework:intake-new"),
        {"source": "street", "description": "Man slaapt in het portiek", "name": "Meneer Bos"},
    )
    intake = Intake.objects.get()
    assert intake.team is not None and intake.team.name == "Team Oost"
    page = client.get(reverse("casework:intakes")).content.decode()
    assert reverse("casework:intake-address", args=[intake.pk]) in page
    url = reverse("casework:intake-address", args=[intake.pk])
    # Half an address: a clear message.
    response = client.post(url, {"postcode": elsewhere.postcode})
    assert response.status_code == 400
    assert "Vul de postcode en het huisnummer allebei in" in response.content.decode()
    response = client.post(url, {"postcode": elsewhere.postcode, "house_number": "77"})
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.household is not None and intake.household.address == elsewhere
    assert intake.team == other_team  # the team of the address's neighbourhood
    event = AuditEvent.objects.filter(object_type="casework.Intake", action=Action.UPDATE).get()
    assert event.details["moved_from"] == "Team Oost"
    # Linked once: the page is gone for it.
    assert client.get(url).status_code == 404


def test_linking_an_address_offers_the_file_that_lives_there(
    client: Client, personas: Personas
) -> None:
    personas.make_worker_lead()
    address = personas.household.address
    client.force_login(personas.worker)
    client.post(
        reverse("casework:intake-new"),
        {"source": "neighbour", "description": "Zorgen om buurman", "name": "Buurman"},
    )
    intake = Intake.objects.get()
    url = reverse("casework:intake-address", args=[intake.pk])
    data = {"postcode": address.postcode, "house_number": str(address.house_number)}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Open het bestaande dossier op" in response.content.decode()
    response = client.post(url, {**data, "create_anyway": "on"})
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.household is not None and intake.household != personas.household
    assert Household.objects.filter(address=address).count() == 2


def _intake_at_new_address(client: Client, personas: Personas) -> Intake:
    address = factories.AddressFactory.create(
        neighbourhood=personas.household.address.neighbourhood, house_number=401
    )
    client.force_login(personas.worker)
    client.post(
        reverse("casework:intake-new"),
        {
            "source": "resident",
            "description": "Vraagt zelf om hulp bij post",
            "postcode": address.postcode,
            "house_number": "401",
        },
    )
    return Intake.objects.get()


def test_members_assign_only_where_the_team_allows_it(client: Client, personas: Personas) -> None:
    intake = _intake_at_new_address(client, personas)
    url = reverse("casework:intake-assign", args=[intake.pk])
    page = client.get(reverse("casework:intakes")).content.decode()
    assert url not in page  # no assign form for a member by default
    assert client.post(url, {"worker": personas.worker.pk}).status_code == 404
    team = intake.team
    assert team is not None
    team.members_may_assign = True
    team.save()
    page = client.get(reverse("casework:intakes")).content.decode()
    assert url in page
    assert client.post(url, {"worker": personas.worker.pk}).status_code == 302
    lead = Involvement.objects.get(household=intake.household, kind=Involvement.Kind.LEAD)
    assert lead.worker == personas.worker
    event = AuditEvent.objects.filter(object_type="casework.Intake", action=Action.UPDATE).get()
    assert event.ground == "team"
    # Still no assigning in another team's intakes.
    client.force_login(personas.colleague)
    assert client.post(url, {"worker": personas.colleague.pk}).status_code == 404
