"""Intake: minimal to start, existing files offered first, the team leader assigns."""

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


def test_a_name_and_one_sentence_are_enough(client: Client, personas: Personas) -> None:
    client.force_login(personas.worker)
    response = client.post(
        reverse("casework:intake-new"),
        {
            "source": "neighbour",
            "description": "Buurvrouw ziet al weken niemand",
            "name": "Mevrouw Jansen",
        },
    )
    assert response.status_code == 302
    intake = Intake.objects.get()
    assert intake.household is None
    assert intake.team is not None and intake.team.name == "Team Oost"  # the reporter's team
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="casework.Intake").exists()


def test_a_worker_records_what_they_noticed_without_saying_who_reported_it(
    client: Client, personas: Personas
) -> None:
    """The page promises that a name and one sentence are enough: it keeps that promise."""
    client.force_login(personas.worker)
    page = client.get(reverse("casework:intake-new")).content.decode()
    assert 'Wie meldde het <span class="bk-muted">(niet verplicht)</span>' in page
    response = client.post(
        reverse("casework:intake-new"),
        {"description": "Brievenbus puilt uit", "name": "Meneer Bakker"},
    )
    assert response.status_code == 302
    assert Intake.objects.get().source == Intake.Source.STREET  # the worker's own contact


def test_nothing_to_go_on_gets_a_clear_message_and_keeps_the_text(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.worker)
    response = client.post(
        reverse("casework:intake-new"),
        {"source": "school", "description": "Kind komt vaak te laat"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "een naam of een adres" in page
    assert "Kind komt vaak te laat" in page
    assert not Intake.objects.exists()


def test_existing_file_at_the_address_is_offered_first(client: Client, personas: Personas) -> None:
    personas.make_worker_lead()  # somebody works with this household: it is a file
    address = personas.household.address
    data = {
        "source": "police",
        "description": "Melding van geluidsoverlast",
        "postcode": address.postcode,
        "house_number": str(address.house_number),
    }
    client.force_login(personas.colleague)  # cannot open the file: told to ask its team
    response = client.post(reverse("casework:intake-new"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Team Oost" in page
    assert f"/huishoudens/{personas.household.pk}/" not in page
    assert not Intake.objects.exists()

    client.force_login(personas.team_leader)  # can open it: gets the link
    page = client.post(reverse("casework:intake-new"), data).content.decode()
    assert f"/huishoudens/{personas.household.pk}/" in page

    response = client.post(reverse("casework:intake-new"), {**data, "create_anyway": "on"})
    assert response.status_code == 302
    intake = Intake.objects.get()
    assert intake.household is not None and intake.household != personas.household
    assert intake.team is not None and intake.team.name == "Team Oost"
    created = AuditEvent.objects.get(action=Action.CREATE, object_type="casework.Intake")
    assert created.details["duplicate_of_existing_file"] is True


def test_new_address_needs_street_and_town(client: Client, personas: Personas) -> None:
    client.force_login(personas.worker)
    data = {
        "source": "resident",
        "description": "Vraagt hulp bij post",
        "postcode": "9990 XY",
        "house_number": "7",
    }
    page = client.post(reverse("casework:intake-new"), data).content.decode()
    assert "straat en de woonplaats" in page
    response = client.post(
        reverse("casework:intake-new"), {**data, "street": "Kastanjelaan", "town": "Testwijk"}
    )
    assert response.status_code == 302
    assert Household.objects.filter(address__street="Kastanjelaan").exists()


def test_team_leader_assigns_the_one_lead_worker(client: Client, personas: Personas) -> None:
    address = factories.AddressFactory.create(
        neighbourhood=personas.household.address.neighbourhood, house_number=400
    )
    client.force_login(personas.worker)
    client.post(
        reverse("casework:intake-new"),
        {
            "source": "partner",
            "description": "Woonstichting meldt twee maanden huurachterstand",
            "postcode": address.postcode,
            "house_number": "400",
        },
    )
    intake = Intake.objects.get()
    url = reverse("casework:intake-assign", args=[intake.pk])
    # A worker cannot assign; the team leader can.
    assert client.post(url, {"worker": personas.worker.pk}).status_code == 404
    client.force_login(personas.team_leader)
    page = client.get(reverse("casework:intakes")).content.decode()
    assert "twee maanden huurachterstand" in page
    client.post(url, {"worker": personas.worker.pk})
    intake.refresh_from_db()
    assert intake.status == Intake.Status.ASSIGNED
    lead = Involvement.objects.get(household=intake.household, kind=Involvement.Kind.LEAD)
    assert lead.worker == personas.worker
    # The worker now reads the file on the ground of involvement.
    client.force_login(personas.worker)
    assert client.get(reverse("workspace:household", args=[intake.household_id])).status_code == 200


def test_other_teams_do_not_see_the_intake(client: Client, personas: Personas) -> None:
    client.force_login(personas.worker)
    client.post(
        reverse("casework:intake-new"),
        {"source": "street", "description": "Man slaapt in het portiek", "name": "Meneer"},
    )
    client.force_login(personas.colleague)
    assert "slaapt in het portiek" not in client.get(reverse("casework:intakes")).content.decode()
    for user in (personas.volunteer, personas.partner_liaison, personas.functional_admin):
        client.force_login(user)
        assert client.get(reverse("casework:intakes")).status_code == 404


def test_a_household_nobody_works_with_gets_the_intake_attached(
    client: Client, personas: Personas
) -> None:
    address = personas.household.address
    client.force_login(personas.worker)
    response = client.post(
        reverse("casework:intake-new"),
        {
            "source": "partner",
            "description": "Energieleverancier meldt betalingsachterstand",
            "postcode": address.postcode,
            "house_number": str(address.house_number),
        },
    )
    assert response.status_code == 302
    assert Intake.objects.get().household == personas.household
    assert Household.objects.count() == 1


def test_an_intake_at_a_withdrawn_address_is_refused_with_the_reason(
    client: Client, personas: Personas
) -> None:
    """A withdrawn BAG address stays on the files that have it, but is not offered for
    a new registration (issue 16): the worker is told why, nothing is created."""
    address = factories.AddressFactory.create(
        house_number=401, bag_id="9990200000000401", withdrawn_on=dt.date(2026, 3, 1)
    )
    client.force_login(personas.worker)
    data = {
        "source": "resident",
        "description": "Vraagt hulp bij post",
        "postcode": address.postcode,
        "house_number": "401",
        "street": address.street,
        "town": address.town,
    }
    page = client.post(reverse("casework:intake-new"), data).content.decode()
    assert "in de BAG ingetrokken" in page
    assert not Intake.objects.exists()
    assert not Household.objects.filter(address=address).exists()
