"""A household's composition, kept by the worker (issue 16, item 3): the services that
change it, each audited and keeping history, and the pages, with who may change it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtkracht.audit.models import Action, AuditEvent, Ground
from buurtkracht.households.composition import (
    DuplicatePerson,
    member_add_new,
    membership_add,
    membership_end,
    membership_set_role,
    person_correct_name,
    person_mark_deceased,
    person_token,
)
from buurtkracht.households.models import Household, Membership, Person
from tests import factories
from tests.conftest import Personas
from tests.versions import opened_at

pytestmark = pytest.mark.django_db

VALID_BSN = "111222333"  # passes the eleven test
OTHER_BSN = "123456782"


def _today() -> dt.date:
    return timezone.localdate()


def _empty_household(personas: Personas) -> Household:
    """A file at a new address in the worker's neighbourhood, with nobody in it."""
    return Household.objects.create(
        address=factories.AddressFactory.create(
            neighbourhood=personas.household.address.neighbourhood
        )
    )


def _changes(person: Person) -> list[str]:
    return [
        e.details.get("change", "")
        for e in AuditEvent.objects.filter(subjects__person_id=person.pk).order_by("sequence")
        if e.details
    ]


# --- services ---------------------------------------------------------------------------


def test_a_new_person_moves_in_and_the_change_is_audited(personas: Personas) -> None:
    household = _empty_household(personas)
    membership = member_add_new(
        household=household,
        role=Membership.Role.HEAD,
        start_date=_today(),
        surname="Kaya",
        given_names="Elif",
        date_of_birth=dt.date(1988, 4, 2),
        user=personas.worker,
        ground=Ground.INVOLVEMENT,
    )
    assert household.current_member_ids() == [membership.person_id]
    assert membership.person.initials == "E."
    event = AuditEvent.objects.get(action=Action.CREATE, details__change="moved_in")
    assert event.ground == Ground.INVOLVEMENT
    assert list(event.subjects.values_list("person_id", flat=True)) == [membership.person_id]


@pytest.mark.parametrize("same", ["bsn", "name_and_birth_date"])
def test_a_duplicate_person_is_refused_and_names_the_existing_one(
    personas: Personas, same: str
) -> None:
    existing = factories.PersonFactory.create(
        surname="Kaya", given_names="Elif", initials="E.", bsn=VALID_BSN
    )
    household = _empty_household(personas)
    facts: dict[str, Any] = (
        {"surname": "Anders", "bsn": VALID_BSN}
        if same == "bsn"
        else {"surname": "kaya", "date_of_birth": existing.date_of_birth}
    )
    with pytest.raises(DuplicatePerson) as refused:
        member_add_new(household=household, role=Membership.Role.HEAD, start_date=_today(), **facts)
    assert refused.value.existing == existing
    assert Person.objects.count() == Person.objects.filter(pk__lte=existing.pk).count()
    assert not household.memberships.exists()


def test_twins_are_not_duplicates_of_each_other(personas: Personas) -> None:
    sister = factories.PersonFactory.create(surname="Kaya", given_names="Elif", initials="E.")
    household = _empty_household(personas)
    brother = member_add_new(
        household=household,
        role=Membership.Role.CHILD,
        start_date=_today(),
        surname="Kaya",
        given_names="Mert",
        date_of_birth=sister.date_of_birth,
    ).person
    assert brother != sister


def test_moving_out_keeps_the_row_with_its_end_date(personas: Personas) -> None:
    membership = personas.household.memberships.get()
    yesterday = _today() - dt.timedelta(days=1)
    membership_end(membership=membership, end_date=yesterday, user=personas.worker)
    membership.refresh_from_db()
    assert membership.end_date == yesterday
    assert personas.household.current_member_ids() == []
    assert personas.household.memberships.count() == 1  # history kept
    assert "moved_out" in _changes(membership.person)
    with pytest.raises(ValidationError):  # moved out already
        membership_end(membership=membership, end_date=_today())


def test_a_move_out_before_the_move_in_is_refused(personas: Personas) -> None:
    household = _empty_household(personas)
    membership = membership_add(
        household=household,
        person=factories.PersonFactory.create(),
        role=Membership.Role.HOUSEMATE,
        start_date=_today(),
    )
    with pytest.raises(ValidationError) as refused:
        membership_end(membership=membership, end_date=_today() - dt.timedelta(days=3))
    assert "end_date" in refused.value.message_dict


def test_a_current_member_cannot_move_in_twice_and_dates_are_checked(
    personas: Personas,
) -> None:
    membership = personas.household.memberships.get()
    with pytest.raises(ValidationError):
        membership_add(
            household=personas.household,
            person=membership.person,
            role=Membership.Role.HEAD,
            start_date=_today(),
        )
    with pytest.raises(ValidationError) as refused:
        membership_add(
            household=_empty_household(personas),
            person=membership.person,
            role=Membership.Role.HEAD,
            start_date=dt.date(1800, 1, 1),
        )
    assert "start_date" in refused.value.message_dict


def test_a_role_and_a_name_are_changed_with_the_before_in_the_log(personas: Personas) -> None:
    membership = personas.household.memberships.get()
    person = membership.person
    old_surname = person.surname
    membership_set_role(membership=membership, role=Membership.Role.PARTNER)
    person_correct_name(
        person=person,
        surname="Ouderling",
        surname_prefix=person.surname_prefix,
        initials=person.initials,
        given_names=person.given_names,
    )
    membership.refresh_from_db()
    person.refresh_from_db()
    assert membership.role == Membership.Role.PARTNER
    assert person.surname == "Ouderling"
    event = AuditEvent.objects.get(details__change="name")
    assert event.details["before"] == {"surname": old_surname}
    assert event.details["after"] == {"surname": "Ouderling"}
    assert {"role", "name"} <= set(_changes(person))


def test_a_death_ends_the_memberships_and_is_recorded_once(personas: Personas) -> None:
    membership = personas.household.memberships.get()
    day = _today() - dt.timedelta(days=2)
    person_mark_deceased(person=membership.person, date_of_death=day, user=personas.worker)
    membership.refresh_from_db()
    assert membership.end_date == day
    assert membership.person.date_of_death == day
    assert {"died"} <= set(_changes(membership.person))
    with pytest.raises(ValidationError):
        person_mark_deceased(person=membership.person, date_of_death=day)
    with pytest.raises(ValidationError):  # the dead do not move in
        membership_add(
            household=_empty_household(personas),
            person=membership.person,
            role=Membership.Role.HEAD,
            start_date=day,
        )


def test_a_birth_is_a_child_member_from_the_day_of_birth(personas: Personas) -> None:
    born = _today() - dt.timedelta(days=5)
    membership = member_add_new(
        household=personas.household,
        role=Membership.Role.CHILD,
        start_date=born,
        surname="Nieuw",
        date_of_birth=born,
        change="birth",
    )
    assert membership.start_date == born
    assert membership.person_id in personas.household.current_member_ids()
    assert "birth" in _changes(membership.person)


# --- pages ------------------------------------------------------------------------------


def _url(household: Household, name: str = "composition", *args: int) -> str:
    return reverse(f"households:{name}", args=[household.pk, *args])


def _lead(personas: Personas, household: Household) -> None:
    from buurtkracht.households.models import Involvement

    Involvement.objects.create(
        household=household,
        worker=personas.worker,
        kind=Involvement.Kind.LEAD,
        start_date=dt.date(2026, 1, 1),
    )


def test_the_lead_worker_searches_then_creates_a_member_of_an_empty_file(
    client: Client, personas: Personas
) -> None:
    household = _empty_household(personas)
    _lead(personas, household)
    client.force_login(personas.worker)
    page = client.get(
        _url(household), {"search": "1", "surname": "Kaya", "date_of_birth": "02-04-1988"}
    ).content.decode()
    assert "Niemand gevonden" in page
    response = client.post(
        _url(household, "composition-add-new"),
        {
            "surname": "Kaya",
            "given_names": "Elif",
            "date_of_birth": "02-04-1988",
            "role": "head",
            "start_date": _today().strftime("%d-%m-%Y"),
        },
    )
    assert response.status_code == 302
    assert household.memberships.get().person.surname == "Kaya"
    search = AuditEvent.objects.get(action=Action.SEARCH, actor_id=personas.worker.pk)
    assert search.details["found"] == 0


def test_a_person_in_a_file_the_worker_cannot_read_is_shown_minimally(
    client: Client, personas: Personas
) -> None:
    """An insider searching the register learns only that the person exists; they may add
    them only with two facts (BSN and date of birth), and only through the signed token."""
    hidden = factories.MembershipFactory.create(
        person=factories.PersonFactory.create(surname="Verborgen", bsn=VALID_BSN)
    )
    household = _empty_household(personas)
    _lead(personas, household)
    client.force_login(personas.worker)
    page = client.get(_url(household), {"search": "1", "bsn": VALID_BSN}).content.decode()
    assert "bestaat al in het register" in page
    assert "Verborgen" not in page
    assert hidden.household.address.street_line not in page
    assert 'name="token"' not in page  # a BSN alone is not enough to add them
    page = client.get(
        _url(household),
        {"search": "1", "bsn": VALID_BSN, "date_of_birth": "17-05-1970"},
    ).content.decode()
    assert 'name="token"' in page and "Verborgen" not in page
    # A made-up token, or one for another household, adds nobody.
    other = _empty_household(personas)
    forged = person_token(worker=personas.worker, household=other, person=hidden.person)
    response = client.post(
        _url(household, "composition-add-found"),
        {"token": forged, "role": "head", "start_date": _today().strftime("%d-%m-%Y")},
    )
    assert response.status_code == 400
    assert "opnieuw" in response.content.decode()
    assert not household.memberships.exists()
    token = person_token(worker=personas.worker, household=household, person=hidden.person)
    response = client.post(
        _url(household, "composition-add-found"),
        {"token": token, "role": "head", "start_date": _today().strftime("%d-%m-%Y")},
    )
    assert response.status_code == 302
    assert household.memberships.get().person == hidden.person


def test_creating_a_duplicate_is_refused_with_a_link_to_the_existing_person(
    client: Client, personas: Personas
) -> None:
    existing = personas.household.memberships.get().person
    household = _empty_household(personas)
    _lead(personas, household)
    _lead(personas, personas.household)
    client.force_login(personas.worker)
    response = client.post(
        _url(household, "composition-add-new"),
        {
            "surname": existing.surname,
            "date_of_birth": existing.date_of_birth.strftime("%d-%m-%Y"),  # type: ignore[union-attr]
            "role": "head",
            "start_date": _today().strftime("%d-%m-%Y"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "bestaat al in het register" in page.lower() or "al in het register" in page
    assert reverse("workspace:household", args=[personas.household.pk]) in page
    assert 'class="bk-error-summary"' in page
    assert not household.memberships.exists()
    look = AuditEvent.objects.get(action=Action.SEARCH, actor_id=personas.worker.pk)
    assert list(look.subjects.values_list("person_id", flat=True)) == [existing.pk]


def test_moving_a_member_out_from_the_member_page(client: Client, personas: Personas) -> None:
    _lead(personas, personas.household)
    membership = personas.household.memberships.get()
    client.force_login(personas.worker)
    url = _url(personas.household, "composition-member", membership.pk)
    assert client.get(url).status_code == 200
    refused = client.post(url, {"action": "move_out", "end_date": "01-01-1800"})
    assert refused.status_code == 400
    assert 'class="bk-error-summary"' in refused.content.decode()
    done = client.post(url, {"action": "move_out", "end_date": _today().strftime("%d-%m-%Y")})
    assert done.status_code == 302
    membership.refresh_from_db()
    assert membership.end_date == _today()


def test_a_colleague_without_a_ground_gets_404_everywhere(
    client: Client, personas: Personas
) -> None:
    membership = personas.household.memberships.get()
    client.force_login(personas.colleague)
    for url in (
        _url(personas.household),
        _url(personas.household, "composition-member", membership.pk),
    ):
        assert client.get(url).status_code == 404
    for name in ("composition-add-new", "composition-add-found", "composition-birth"):
        assert client.post(_url(personas.household, name), {}).status_code == 404
    assert AuditEvent.objects.filter(actor_id=personas.colleague.pk, allowed=False).exists()


def test_a_team_wide_reader_sees_the_composition_but_cannot_change_it(
    client: Client, personas: Personas
) -> None:
    municipality = personas.household.address.neighbourhood.municipality  # type: ignore[union-attr]
    municipality.team_wide_reading = True
    municipality.save()
    membership = personas.household.memberships.get()
    client.force_login(personas.worker)  # same team, not involved: reads on the team ground
    page = client.get(_url(personas.household)).content.decode()
    assert membership.person.surname in page
    assert "Persoon toevoegen" not in page
    assert (
        client.get(_url(personas.household, "composition-member", membership.pk)).status_code == 404
    )
    response = client.post(
        _url(personas.household, "composition-member", membership.pk),
        {"action": "move_out", "end_date": _today().strftime("%d-%m-%Y")},
    )
    assert response.status_code == 404
    born = _today().strftime("%d-%m-%Y")
    response = client.post(
        _url(personas.household, "composition-birth"), {"surname": "X", "date_of_birth": born}
    )
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.end_date is None
    assert personas.household.memberships.count() == 1


def test_two_tabs_correcting_one_name_lose_no_change(personas: Personas) -> None:
    """Issue 15, finding 9: the second of two name corrections undid the first unseen."""
    _lead(personas, personas.household)
    membership = personas.household.memberships.get()
    person = membership.person
    url = _url(personas.household, "composition-member", membership.pk)
    first, second = Client(), Client()
    first.force_login(personas.worker)
    second.force_login(personas.worker)
    tab_one = opened_at(first.get(url).content.decode())
    tab_two = opened_at(second.get(url).content.decode())
    name = {"action": "name", "initials": "", "surname_prefix": "", "surname": person.surname}

    assert first.post(url, {**name, "given_names": "Fatma Zehra", **tab_one}).status_code == 302
    response = second.post(url, {**name, "given_names": "Fadma", **tab_two})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Iemand anders heeft dit gewijzigd terwijl u eraan werkte" in page
    assert "“Fatma Zehra”" in page  # what the first tab saved is named
    assert 'value="Fadma"' in page  # what the second user typed is kept
    person.refresh_from_db()
    assert (person.given_names, person.version) == ("Fatma Zehra", 2)

    again = opened_at(page)
    assert again["version"] == "2"
    assert second.post(url, {**name, "given_names": "Fadma", **again}).status_code == 302
    person.refresh_from_db()
    assert (person.given_names, person.version) == ("Fadma", 3)
