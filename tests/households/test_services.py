import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from buurtkracht.households.models import Household, Membership, Person
from buurtkracht.households.services import household_create, person_create
from tests import factories

pytestmark = pytest.mark.django_db


def test_person_with_dutch_name_parts() -> None:
    person = person_create(
        given_names="Johanna Hendrika",
        surname_prefix="Van der",
        surname="Berg",
        birth_surname="Kerstiëns",
        date_of_birth=dt.date(1961, 2, 3),
        bsn="111222333",
        phone="06 1234 5678",
    )
    assert person.initials == "J.H."
    assert person.surname_prefix == "van der"
    assert person.full_name == "Johanna van der Berg"
    assert person.formal_name == "J.H. van der Berg"
    assert person.phone == "0612345678"


def test_creating_residents_and_households_is_logged() -> None:
    from buurtkracht.audit.models import Action, AuditEvent

    worker = factories.UserFactory.create()
    person = person_create(surname="Yılmaz", user=worker)
    household = household_create(
        address=factories.AddressFactory.create(),
        members=[(person, Membership.Role.HEAD)],
        user=worker,
    )
    created = AuditEvent.objects.filter(action=Action.CREATE, actor_id=worker.pk).order_by(
        "sequence"
    )
    assert [e.object_type for e in created] == ["households.Person", "households.Household"]
    assert all(e.subject_ids == [person.pk] for e in created)
    assert household.pk == int(created[1].object_id)


def test_only_a_surname_is_needed() -> None:
    person = person_create(surname="Yılmaz")
    assert person.bsn is None
    assert str(person) == "Yılmaz"


def test_wrong_fields_get_one_message_each_and_nothing_is_saved() -> None:
    with pytest.raises(ValidationError) as excinfo:
        person_create(
            surname="Jans3n",
            bsn="123456789",
            date_of_birth=timezone.localdate() + dt.timedelta(days=30),
            phone="12",
        )
    assert set(excinfo.value.message_dict) == {"surname", "bsn", "date_of_birth", "phone"}
    assert "elfproef" in excinfo.value.message_dict["bsn"][0]
    assert Person.objects.count() == 0


def test_bsn_is_unique() -> None:
    person_create(surname="Eerste", bsn="111222333")
    with pytest.raises(ValidationError) as excinfo:
        person_create(surname="Tweede", bsn="111222333")
    assert "bsn" in excinfo.value.message_dict


def test_household_with_members() -> None:
    address = factories.AddressFactory.create()
    mother = person_create(surname="Çelik", given_names="Ayşe")
    child = person_create(surname="Çelik", given_names="Emre")
    household = household_create(
        address=address,
        members=[(mother, Membership.Role.HEAD), (child, Membership.Role.CHILD)],
        start_date=dt.date(2020, 1, 1),
    )
    assert list(household.members.order_by("given_names")) == [mother, child]
    assert household.memberships.get(person=child).role == "child"


def test_household_keeps_its_address_neighbourhood_for_reports() -> None:
    east = factories.NeighbourhoodFactory.create(name="Oostbuurt")
    west = factories.NeighbourhoodFactory.create(name="Westbuurt")
    address = factories.AddressFactory.create(neighbourhood=east)
    household = factories.HouseholdFactory.create(address=address)
    assert household.neighbourhood == east
    # Created with only the address id.
    other = Household.objects.create(address_id=address.pk)
    assert other.neighbourhood_id == east.pk
    # The address placed in another neighbourhood (by the functional administrator):
    # its households follow.
    address.neighbourhood = west
    address.save()
    household.refresh_from_db()
    other.refresh_from_db()
    assert household.neighbourhood == west and other.neighbourhood == west
