"""Who else is involved (issue 18, item 2): co-workers added and ended from the file,
outside professionals with and without the resident's consent, handing over the lead in
one step, and who may do which (404 for everyone without a ground)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtkracht.accounts.models import User
from buurtkracht.accounts.services import team_membership_create
from buurtkracht.audit.models import Action, AuditEvent, Ground
from buurtkracht.casework.handover import lead_handover
from buurtkracht.core.models import Organisation
from buurtkracht.households.consent import Purpose, consent_record, consent_withdraw
from buurtkracht.households.models import GrantPath, Involvement, OutsideProfessional
from buurtkracht.households.services import (
    co_worker_add,
    co_worker_end,
    outside_professional_add,
    outside_professional_end,
    outside_professional_sharing_set,
)
from buurtkracht.households.visibility import household_ground
from tests import factories
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(personas: Personas) -> User:
    """A second worker of the household's own team."""
    user = factories.UserFactory.create(username="tweede", first_name="Sem", last_name="Bakker")
    team = personas.worker.team_memberships.get().team
    team_membership_create(user=user, team=team)
    return user


@pytest.fixture
def debt_org() -> Organisation:
    return factories.OrganisationFactory.create(name="Kredietbank Noord")


def _consent(personas: Personas, organisation: Organisation) -> None:
    consent_record(
        person=personas.household.members.get(),
        purpose=Purpose.SHARE_WITH_ORGANISATION,
        given=True,
        method="spoken",
        recorded_by=personas.worker,
        organisation=organisation,
    )


def test_lead_worker_adds_a_co_worker_who_then_reads_the_file(
    personas: Personas, second: User
) -> None:
    personas.make_worker_lead()
    assert household_ground(second, personas.household) is None
    involvement = co_worker_add(household=personas.household, worker=second, by=personas.worker)
    assert involvement.kind == Involvement.Kind.CO_WORKER
    assert involvement.granted_via == GrantPath.ON_FILE
    assert involvement.granted_ground == Ground.INVOLVEMENT
    assert household_ground(second, personas.household) == Ground.INVOLVEMENT
    event = AuditEvent.objects.filter(action=Action.CREATE, actor_id=personas.worker.pk).last()
    assert event is not None and event.details["co_worker"]["added"] == "tweede"


def test_a_co_worker_cannot_be_added_twice_nor_from_another_team(
    personas: Personas, second: User
) -> None:
    personas.make_worker_lead()
    co_worker_add(household=personas.household, worker=second, by=personas.worker)
    with pytest.raises(ValidationError):
        co_worker_add(household=personas.household, worker=second, by=personas.worker)
    with pytest.raises(ValidationError):
        co_worker_add(household=personas.household, worker=personas.colleague, by=personas.worker)


def test_only_lead_worker_and_team_leader_add_co_workers(personas: Personas, second: User) -> None:
    personas.make_worker_lead()
    co_worker_add(household=personas.household, worker=second, by=personas.team_leader)
    third = factories.UserFactory.create(username="derde")
    team_membership_create(user=third, team=personas.worker.team_memberships.get().team)
    # A co-worker does not grant access to others.
    with pytest.raises(PermissionDenied):
        co_worker_add(household=personas.household, worker=third, by=second)
    with pytest.raises(PermissionDenied):
        co_worker_add(household=personas.household, worker=third, by=personas.colleague)


def test_ending_a_co_worker_ends_their_access_at_once_and_keeps_the_row(
    personas: Personas, second: User
) -> None:
    personas.make_worker_lead()
    involvement = co_worker_add(household=personas.household, worker=second, by=personas.worker)
    co_worker_end(involvement=involvement, by=personas.worker)
    assert household_ground(second, personas.household) is None
    involvement.refresh_from_db()
    assert involvement.end_date == timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        co_worker_end(involvement=involvement, by=personas.worker)
    # The lead is not ended this way.
    with pytest.raises(ValidationError):
        co_worker_end(
            involvement=Involvement.objects.get(kind=Involvement.Kind.LEAD),
            by=personas.worker,
        )


def test_outside_professional_without_sharing_needs_no_consent(personas: Personas) -> None:
    police = factories.OrganisationFactory.create(name="Politie Test")
    professional = outside_professional_add(
        household=personas.household,
        by=personas.worker,
        ground=Ground.INVOLVEMENT,
        name="Mark de Groot",
        organisation=police,
        role="Wijkagent",
        phone="0900-8844",
    )
    assert professional.organisation_name == "Politie Test"
    assert not professional.shares_data
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(professional.pk)).exists()


def test_sharing_data_is_refused_without_consent_and_nothing_is_saved(
    personas: Personas, debt_org: Organisation
) -> None:
    person = personas.household.members.get()
    with pytest.raises(ValidationError) as refused:
        outside_professional_add(
            household=personas.household,
            by=personas.worker,
            ground=Ground.INVOLVEMENT,
            name="Sanne Verbeek",
            organisation=debt_org,
            person=person,
            shares_data=True,
        )
    message = " ".join(refused.value.message_dict["shares_data"])
    assert "Toestemming" in message or "Consent" in message
    assert not OutsideProfessional.objects.exists()


def test_typed_organisation_cannot_share_data(personas: Personas) -> None:
    with pytest.raises(ValidationError) as refused:
        outside_professional_add(
            household=personas.household,
            by=personas.worker,
            ground=Ground.INVOLVEMENT,
            name="Iemand",
            organisation_name="Onbekende stichting",
            person=personas.household.members.get(),
            shares_data=True,
        )
    assert "shares_data" in refused.value.message_dict
    assert not OutsideProfessional.objects.exists()


def test_sharing_data_with_consent_and_stopping_when_ended(
    personas: Personas, debt_org: Organisation
) -> None:
    _consent(personas, debt_org)
    person = personas.household.members.get()
    professional = outside_professional_add(
        household=personas.household,
        by=personas.worker,
        ground=Ground.INVOLVEMENT,
        name="Sanne Verbeek",
        organisation=debt_org,
        role="Schuldhulpverlener",
        person=person,
        shares_data=True,
    )
    assert professional.shares_data
    outside_professional_end(professional=professional, by=personas.worker, ground="involvement")
    professional.refresh_from_db()
    assert professional.end_date == timezone.localdate()
    assert not professional.shares_data
    assert OutsideProfessional.objects.filter(pk=professional.pk).exists()
    with pytest.raises(ValidationError):
        outside_professional_end(
            professional=professional, by=personas.worker, ground="involvement"
        )


def test_marking_sharing_later_follows_the_consent_register(
    personas: Personas, debt_org: Organisation
) -> None:
    person = personas.household.members.get()
    professional = outside_professional_add(
        household=personas.household,
        by=personas.worker,
        ground=Ground.INVOLVEMENT,
        name="Sanne Verbeek",
        organisation=debt_org,
    )
    with pytest.raises(ValidationError):
        outside_professional_sharing_set(
            professional=professional,
            shares_data=True,
            by=personas.worker,
            ground="involvement",
            person=person,
        )
    _consent(personas, debt_org)
    outside_professional_sharing_set(
        professional=professional,
        shares_data=True,
        by=personas.worker,
        ground="involvement",
        person=person,
    )
    assert OutsideProfessional.objects.get().shares_data
    # A withdrawal shows on the file at once.
    consent = person.consents.get()
    consent_withdraw(consent=consent, recorded_by=personas.worker, method="spoken")
    client = Client()
    personas.make_worker_lead()
    client.force_login(personas.worker)
    page = client.get(reverse("workspace:household", args=[personas.household.pk])).content
    assert "de toestemming geldt niet meer" in page.decode()


def test_lead_worker_hands_over_the_lead_in_one_step(personas: Personas, second: User) -> None:
    personas.make_worker_lead()
    co_worker_add(household=personas.household, worker=second, by=personas.worker)
    with pytest.raises(ValidationError) as refused:
        lead_handover(household=personas.household, to=second, note="  ", by=personas.worker)
    assert "note" in refused.value.message_dict
    new = lead_handover(
        household=personas.household,
        to=second,
        note="Mevrouw wil graag op dinsdag gebeld worden.",
        by=personas.worker,
    )
    assert new.kind == Involvement.Kind.LEAD and new.worker == second
    assert new.granted_via == GrantPath.HANDOVER
    current = Involvement.objects.filter(household=personas.household, end_date__isnull=True)
    # One lead, and the new lead is no longer also a co-worker.
    assert list(current.values_list("worker__username", "kind")) == [("tweede", "lead")]
    assert household_ground(personas.worker, personas.household) is None
    event = AuditEvent.objects.filter(action=Action.UPDATE, actor_id=personas.worker.pk).last()
    assert event is not None and event.details["handover"]["to"] == "tweede"
    # The old lead no longer hands anything over.
    with pytest.raises(PermissionDenied):
        lead_handover(
            household=personas.household, to=personas.worker, note="x", by=personas.worker
        )


def test_handover_only_to_a_colleague_of_the_team(personas: Personas) -> None:
    personas.make_worker_lead()
    with pytest.raises(ValidationError):
        lead_handover(
            household=personas.household, to=personas.colleague, note="x", by=personas.worker
        )
    assert Involvement.objects.get(end_date__isnull=True).worker == personas.worker


# Pages -----------------------------------------------------------------------------------


def test_the_file_shows_who_is_involved_and_the_forms_to_the_lead(
    client: Client, personas: Personas, second: User, debt_org: Organisation
) -> None:
    personas.make_worker_lead()
    outside_professional_add(
        household=personas.household,
        by=personas.worker,
        ground=Ground.INVOLVEMENT,
        name="Sanne Verbeek",
        organisation=debt_org,
        role="Schuldhulpverlener",
    )
    url = reverse("workspace:household", args=[personas.household.pk])
    client.force_login(personas.worker)
    page = client.get(url).content.decode()
    assert "Sanne Verbeek" in page and "Kredietbank Noord" in page
    assert "Geen toestemming om te delen met Kredietbank Noord" in page
    assert reverse("workspace:lead-handover", args=[personas.household.pk]) in page
    assert "Sem Bakker" in page  # offered as co-worker
    # The resident sees who is involved, and no forms to change it.
    client.force_login(personas.resident)
    page = client.get(url).content.decode()
    assert "Sanne Verbeek" in page
    assert reverse("workspace:lead-handover", args=[personas.household.pk]) not in page
    assert reverse("workspace:professional-add", args=[personas.household.pk]) not in page


@pytest.mark.parametrize("who", ["colleague", "resident", "volunteer", "privacy_officer"])
def test_no_ground_or_read_only_gives_404(
    client: Client, personas: Personas, second: User, who: str
) -> None:
    personas.make_worker_lead()
    pk = personas.household.pk
    client.force_login(getattr(personas, who))
    assert client.get(reverse("workspace:lead-handover", args=[pk])).status_code == 404
    assert client.get(reverse("workspace:professional-add", args=[pk])).status_code == 404
    response = client.post(reverse("workspace:co-worker-add", args=[pk]), {"worker": second.pk})
    assert response.status_code == 404
    assert not Involvement.objects.filter(worker=second).exists()


def test_a_co_worker_may_add_a_professional_but_not_a_co_worker(
    client: Client, personas: Personas, second: User
) -> None:
    personas.make_worker_lead()
    co_worker_add(household=personas.household, worker=second, by=personas.worker)
    third = factories.UserFactory.create(username="derde")
    team_membership_create(user=third, team=personas.worker.team_memberships.get().team)
    pk = personas.household.pk
    client.force_login(second)
    response = client.post(reverse("workspace:co-worker-add", args=[pk]), {"worker": third.pk})
    assert response.status_code == 404
    assert client.get(reverse("workspace:lead-handover", args=[pk])).status_code == 404
    response = client.post(
        reverse("workspace:professional-add", args=[pk]),
        {"name": "Mark de Groot", "organisation_name": "Politie", "role": "Wijkagent"},
    )
    assert response.status_code == 302
    assert OutsideProfessional.objects.get().added_by == second


def test_the_add_form_keeps_what_was_typed_and_says_how_to_record_consent(
    client: Client, personas: Personas, debt_org: Organisation
) -> None:
    personas.make_worker_lead()
    client.force_login(personas.worker)
    person = personas.household.members.get()
    response = client.post(
        reverse("workspace:professional-add", args=[personas.household.pk]),
        {
            "name": "Sanne Verbeek",
            "organisation": debt_org.pk,
            "role": "Schuldhulpverlener",
            "person": person.pk,
            "shares_data": "on",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Sanne Verbeek" in page
    assert "Toestemming in het dossier" in page
    assert not OutsideProfessional.objects.exists()


def test_the_team_leader_hands_over_from_the_file(
    client: Client, personas: Personas, second: User
) -> None:
    personas.make_worker_lead()
    client.force_login(personas.team_leader)
    url = reverse("workspace:lead-handover", args=[personas.household.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"to": second.pk, "note": "Zie de notitie van vorige week."})
    assert response.status_code == 302
    lead = Involvement.objects.get(kind=Involvement.Kind.LEAD, end_date__isnull=True)
    assert lead.worker == second and lead.granted_ground == Ground.TEAM_LEADER
