"""An intake for a household that has its lead worker already: handed to that lead worker
(bij de regisseur leggen) or closed with a reason — never a form that can only refuse."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from buurtkracht.audit.models import Action, AuditEvent
from buurtkracht.casework.intake import intake_assign, intake_close, intake_hand_to_lead
from buurtkracht.casework.models import Intake
from buurtkracht.casework.queries import worklist
from buurtkracht.households.models import Involvement
from tests import factories
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _intake_for_led_household(personas: Personas) -> Intake:
    """The household is led by `worker` (named Fatima Bakker); a neighbour reports it."""
    personas.worker.first_name, personas.worker.last_name = "Fatima", "Bakker"
    personas.worker.save()
    personas.make_worker_lead()
    team = personas.team_leader.team_memberships.get().team
    return Intake.objects.create(
        source=Intake.Source.NEIGHBOUR,
        description="Buurman maakt zich zorgen over de post",
        household=personas.household,
        team=team,
        created_by=personas.team_leader,
    )


def test_the_intake_is_handed_to_the_lead_worker(personas: Personas) -> None:
    intake = _intake_for_led_household(personas)
    with pytest.raises(ValidationError, match="regisseur"):
        intake_assign(intake=intake, worker=personas.worker, by=personas.team_leader)

    intake_hand_to_lead(intake=intake, by=personas.team_leader)

    intake.refresh_from_db()
    assert intake.status == Intake.Status.JOINED
    assert intake.assigned_to == personas.worker
    assert intake.closed_by == personas.team_leader and intake.closed_at is not None
    # Still one lead worker.
    assert personas.household.involvements.filter(kind=Involvement.Kind.LEAD).count() == 1
    event = AuditEvent.objects.get(object_type="casework.Intake", action=Action.UPDATE)
    assert event.details["lead_worker"] == personas.worker.username
    assert event.ground == "team_leader"
    assert set(event.subject_ids) == set(personas.household.current_member_ids())
    # The lead worker sees it on their start page.
    assert worklist(personas.worker).intakes_handed == [intake]
    assert worklist(personas.team_leader).intakes_handed == []
    with pytest.raises(ValidationError):
        intake_hand_to_lead(intake=intake, by=personas.team_leader)  # handled already


def test_handing_over_needs_a_lead_worker_and_the_right_to_handle(personas: Personas) -> None:
    team = personas.team_leader.team_memberships.get().team
    intake = Intake.objects.create(
        source=Intake.Source.RESIDENT,
        description="Vraagt hulp",
        household=personas.household,
        team=team,
        created_by=personas.worker,
    )
    with pytest.raises(ValidationError, match="nog geen regisseur"):
        intake_hand_to_lead(intake=intake, by=personas.team_leader)
    personas.make_worker_lead()
    for outsider in (personas.worker, personas.colleague):  # members may not, by default
        with pytest.raises(PermissionDenied):
            intake_hand_to_lead(intake=intake, by=outsider)
        with pytest.raises(PermissionDenied):
            intake_close(intake=intake, by=outsider, reason="Dubbel")
    team.members_may_assign = True  # a self-steering team: every member handles intakes
    team.save()
    intake_hand_to_lead(intake=intake, by=personas.worker)
    assert AuditEvent.objects.get(object_type="casework.Intake").ground == "team"


def test_an_intake_is_closed_with_a_reason(personas: Personas) -> None:
    intake = _intake_for_led_household(personas)
    with pytest.raises(ValidationError) as refused:
        intake_close(intake=intake, by=personas.team_leader, reason="  ")
    assert "reason" in refused.value.message_dict
    intake_close(intake=intake, by=personas.team_leader, reason="Al besproken met de regisseur")
    intake.refresh_from_db()
    assert intake.status == Intake.Status.CLOSED
    assert intake.closed_reason == "Al besproken met de regisseur"
    event = AuditEvent.objects.get(object_type="casework.Intake", action=Action.UPDATE)
    assert event.details == {"intake": "closed", "reason": "Al besproken met de regisseur"}


def test_the_list_offers_only_what_works(client: Client, personas: Personas) -> None:
    intake = _intake_for_led_household(personas)
    client.force_login(personas.team_leader)
    page = client.get(reverse("casework:intakes")).content.decode()
    assert "Dit huishouden heeft al een regisseur: Fatima Bakker." in page
    assert "Bij de regisseur leggen" in page
    assert reverse("casework:intake-hand-to-lead", args=[intake.pk]) in page
    assert reverse("casework:intake-close", args=[intake.pk]) in page
    assert reverse("casework:intake-assign", args=[intake.pk]) not in page  # would refuse

    response = client.post(reverse("casework:intake-hand-to-lead", args=[intake.pk]))
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.status == Intake.Status.JOINED
    assert "Geen nieuwe aanmeldingen" in client.get(reverse("casework:intakes")).content.decode()

    # The lead worker reads it on the start page and in the file.
    client.force_login(personas.worker)
    start = client.get(reverse("workspace:my-work")).content.decode()
    assert "Buurman maakt zich zorgen over de post" in start
    file = client.get(reverse("workspace:household", args=[personas.household.pk])).content.decode()
    assert "Buurman maakt zich zorgen over de post" in file
    assert "bij de regisseur gelegd" in file


def test_closing_without_a_reason_says_so_and_keeps_the_page(
    client: Client, personas: Personas
) -> None:
    intake = _intake_for_led_household(personas)
    client.force_login(personas.team_leader)
    url = reverse("casework:intake-close", args=[intake.pk])
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 400
    assert "Schrijf in één zin waarom" in response.content.decode()
    response = client.post(url, {"reason": "Twee keer gemeld, al in behandeling"})
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.status == Intake.Status.CLOSED


def test_a_worker_of_another_team_gets_404(client: Client, personas: Personas) -> None:
    intake = _intake_for_led_household(personas)
    for user in (personas.colleague, personas.worker):  # another team; a member by default
        client.force_login(user)
        assert (
            client.post(reverse("casework:intake-hand-to-lead", args=[intake.pk])).status_code
            == 404
        )
        assert (
            client.post(
                reverse("casework:intake-close", args=[intake.pk]), {"reason": "x"}
            ).status_code
            == 404
        )
    intake.refresh_from_db()
    assert intake.status == Intake.Status.NEW
    client.logout()
    response = client.post(reverse("casework:intake-hand-to-lead", args=[intake.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_intake_in_a_file_is_not_shown_to_the_resident(
    client: Client, personas: Personas
) -> None:
    _intake_for_led_household(personas)
    client.force_login(personas.resident)
    response = client.get(reverse("workspace:household", args=[personas.household.pk]))
    assert response.status_code == 200
    assert "Buurman maakt zich zorgen" not in response.content.decode()


def test_the_list_logs_a_look_at_every_address_it_shows(client: Client, personas: Personas) -> None:
    """Issue 15, finding 9: the list showed addresses without a look on record for the
    household (nor, with nobody registered yet, for anyone at all)."""
    led = _intake_for_led_household(personas)
    assert led.household is not None
    bare = factories.HouseholdFactory.create(address__street="Kwartelhof")
    Intake.objects.create(
        source=Intake.Source.NEIGHBOUR,
        description="Nieuwe bewoners, de buren maken zich zorgen",
        household=bare,
        team=led.team,
        created_by=personas.team_leader,
    )
    client.force_login(personas.team_leader)
    page = client.get(reverse("casework:intakes")).content.decode()
    assert "Kwartelhof" in page and personas.household.address.street_line in page

    looks = AuditEvent.objects.filter(action=Action.READ, object_type="households.Household")
    by_household = {event.object_id: event for event in looks}
    assert set(by_household) == {str(personas.household.pk), str(bare.pk)}
    led_look = by_household[str(personas.household.pk)]
    assert set(led_look.subject_ids) == set(personas.household.current_member_ids())
    assert all(event.allowed and event.ground == "team" for event in looks)
