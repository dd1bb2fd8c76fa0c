"""Merging a duplicate household into the one that stays: one household, one plan, one
lead worker, and the merge in the log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtkracht.audit.models import Action, AuditEvent
from buurtkracht.casework.merge import household_merge, merge_candidates
from buurtkracht.casework.models import Contact, Intake, Plan
from buurtkracht.casework.services import contact_record, goal_add, plan_get_or_create
from buurtkracht.households.models import Household, Involvement, Membership
from tests import factories
from tests.casework.stories import story_one_plan
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _duplicate(personas: Personas) -> Household:
    """A second file at the same address, made anyway, with the same person in it and a
    lead worker and plan of its own."""
    duplicate = factories.HouseholdFactory.create(address=personas.household.address)
    person = personas.household.current_memberships().get().person
    Membership.objects.create(household=duplicate, person=person, role=Membership.Role.HEAD)
    other = factories.PersonFactory.create(surname="Nieuw", date_of_birth=dt.date(2001, 2, 3))
    Membership.objects.create(household=duplicate, person=other, role=Membership.Role.HOUSEMATE)
    colleague = factories.UserFactory.create(username="tweede")
    from buurtkracht.accounts.services import team_membership_create

    team_membership_create(user=colleague, team=personas.worker.team_memberships.get().team)
    Involvement.objects.create(
        household=duplicate,
        worker=colleague,
        kind=Involvement.Kind.LEAD,
        start_date=dt.date(2026, 2, 1),
    )
    plan = plan_get_or_create(household=duplicate, user=colleague)
    goal_add(plan=plan, text="Werk vinden", domains=["work"], user=colleague)
    contact_record(
        household=duplicate,
        worker=colleague,
        kind=Contact.Kind.PHONE,
        note="Gebeld",
        sensitive=False,
    )
    return duplicate


def test_merge_moves_everything_into_the_file_that_stays(personas: Personas) -> None:
    personas.make_worker_lead()
    story_one_plan(personas)
    duplicate = _duplicate(personas)
    duplicate_pk = duplicate.pk
    candidates = merge_candidates(user=personas.team_leader, household=personas.household)
    assert [c.household.pk for c in candidates] == [duplicate_pk]

    keep = household_merge(
        keep=personas.household,
        duplicate=duplicate,
        by=personas.team_leader,
        reason="Twee keer ingeschreven bij de aanmelding",
    )
    assert not Household.objects.filter(pk=duplicate_pk).exists()
    # Members: the shared person once, the other one added.
    surnames = sorted(m.person.surname for m in keep.current_memberships().select_related("person"))
    assert len(surnames) == 2 and "Nieuw" in surnames
    # One lead worker; the duplicate's lead stays involved as co-worker.
    active = keep.involvements.filter(end_date__isnull=True)
    assert active.filter(kind=Involvement.Kind.LEAD).get().worker == personas.worker
    co = active.get(kind=Involvement.Kind.CO_WORKER)
    assert co.worker.username == "tweede"
    assert "dubbel dossier" in co.handover_note
    # One plan with both plans' goals; contacts moved.
    plan = Plan.objects.get(household=keep)
    assert {g.text for g in plan.goals.all()} >= {"Werk vinden"}
    assert plan.goals.count() == 2
    assert keep.contacts.filter(note="Gebeld").exists()
    event = AuditEvent.objects.filter(action=Action.MERGE).get()
    assert event.details["merged"] == duplicate_pk
    assert event.details["reason"] == "Twee keer ingeschreven bij de aanmelding"
    assert len(event.subject_ids) == 2


def test_only_a_team_leader_of_both_merges_and_a_reason_is_required(
    personas: Personas,
) -> None:
    duplicate = _duplicate(personas)
    personas.make_worker_lead()
    with pytest.raises(PermissionDenied):
        household_merge(
            keep=personas.household, duplicate=duplicate, by=personas.worker, reason="zelfde"
        )
    with pytest.raises(ValidationError):
        household_merge(
            keep=personas.household, duplicate=duplicate, by=personas.team_leader, reason=" "
        )
    elsewhere = factories.HouseholdFactory.create(
        address__neighbourhood=factories.NeighbourhoodFactory.create()
    )
    with pytest.raises(PermissionDenied):
        household_merge(
            keep=personas.household, duplicate=elsewhere, by=personas.team_leader, reason="zelfde"
        )
    assert Household.objects.filter(pk=duplicate.pk).exists()


def test_merge_page_for_the_team_leader_keeps_the_reason_on_error(personas: Personas) -> None:
    duplicate = _duplicate(personas)
    url = reverse("casework:merge", args=[personas.household.pk])
    client = Client()
    client.force_login(personas.worker)
    personas.make_worker_lead()
    assert client.get(url).status_code == 404  # a worker does not merge
    client.force_login(personas.team_leader)
    detail = client.get(reverse("workspace:household", args=[personas.household.pk]))
    assert url in detail.content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert "zelfde adres" in page.content.decode()
    response = client.post(url, {"reason": "Dubbel aangemaakt"})
    assert response.status_code == 400
    assert "Kies het dossier dat in dit dossier opgaat" in response.content.decode()
    assert "Dubbel aangemaakt" in response.content.decode()
    response = client.post(url, {"reason": "Dubbel aangemaakt", "duplicate": duplicate.pk})
    assert response.status_code == 302
    assert not Household.objects.filter(pk=duplicate.pk).exists()


def _duplicate_by_intake(client: Client, personas: Personas) -> Intake:
    """The team leader registers an intake at the address anyway: a second file with an
    open intake, as in the demo."""
    address = personas.household.address
    client.force_login(personas.team_leader)
    response = client.post(
        reverse("casework:intake-new"),
        {
            "source": "neighbour",
            "description": "Buurvrouw hoort al dagen niemand",
            "postcode": address.postcode,
            "house_number": str(address.house_number),
            "create_anyway": "on",
        },
    )
    assert response.status_code == 302
    intake = Intake.objects.get()
    assert intake.household != personas.household
    return intake


def test_after_a_merge_the_open_intake_is_with_the_lead_worker(
    client: Client, personas: Personas
) -> None:
    personas.make_worker_lead()
    intake = _duplicate_by_intake(client, personas)
    duplicate = intake.household
    assert duplicate is not None
    response = client.post(
        reverse("casework:merge", args=[personas.household.pk]),
        {"reason": "Aanmelding dubbel gemaakt", "duplicate": duplicate.pk},
    )
    assert response.status_code == 302

    intake.refresh_from_db()
    assert intake.household == personas.household
    assert intake.status == Intake.Status.JOINED
    assert intake.assigned_to == personas.worker
    events = AuditEvent.objects.filter(object_type="casework.Intake", action=Action.UPDATE)
    assert [e.details["merge_reason"] for e in events] == ["Aanmelding dubbel gemaakt"] * 2
    # Nothing lingers on the list; the lead worker finds it on the start page.
    page = client.get(reverse("casework:intakes")).content.decode()
    assert "Buurvrouw hoort al dagen niemand" not in page
    client.force_login(personas.worker)
    assert (
        "Buurvrouw hoort al dagen niemand"
        in client.get(reverse("workspace:my-work")).content.decode()
    )


def test_after_a_merge_without_a_lead_worker_the_intake_can_be_assigned(
    client: Client, personas: Personas
) -> None:
    # Somebody works with the file, but nobody leads it.
    Involvement.objects.create(
        household=personas.household,
        worker=personas.worker,
        kind=Involvement.Kind.CO_WORKER,
        start_date=timezone.localdate(),
    )
    intake = _duplicate_by_intake(client, personas)
    household_merge(
        keep=personas.household,
        duplicate=intake.household,  # type: ignore[arg-type]
        by=personas.team_leader,
        reason="Dubbel",
    )
    intake.refresh_from_db()
    assert intake.household == personas.household and intake.status == Intake.Status.NEW
    page = client.get(reverse("casework:intakes")).content.decode()
    assert reverse("casework:intake-assign", args=[intake.pk]) in page
    response = client.post(
        reverse("casework:intake-assign", args=[intake.pk]), {"worker": personas.worker.pk}
    )
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.status == Intake.Status.ASSIGNED
