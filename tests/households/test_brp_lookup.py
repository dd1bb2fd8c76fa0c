"""Zoek in de BRP on the composition page (issue 16, items 2 and 3), against the local
Haal Centraal stub and against the demo's synthetic register: the register's details fill
the new-person form, every lookup is in the audit log with its ground and minimised
terms, the register down leaves the worker able to type the person in, and the
register's view is shown beside the worker's with a button to take its value."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtkracht.audit.models import Action, AuditEvent, Ground
from buurtkracht.core.search_terms import terms_key
from buurtkracht.households.composition import (
    DuplicatePerson,
    member_add_new,
    person_correct_birth_date,
    person_correct_name,
)
from buurtkracht.households.models import Household, Involvement, Membership
from tests import factories
from tests.brp_stub import BrpStub, api_person, running
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

ELIF_BSN = "999993653"
ELIF = api_person(
    ELIF_BSN,
    voornamen="Elif",
    geslachtsnaam="Kaya",
    geboortedatum=dt.date(1988, 4, 2),
    postcode="9990AB",
    huisnummer=500,
    sinds=dt.date(2026, 1, 5),
)


def _today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def stub(settings: Any) -> Iterator[BrpStub]:
    with running(BrpStub([ELIF], api_key="key")) as server:
        settings.BRP_API_URL = server.url
        settings.BRP_API_KEY = "key"
        settings.BRP_TIMEOUT_SECONDS = 0.5
        settings.BRP_DOELBINDING = "BRPACT-SociaalDomein"
        yield server


def _household(personas: Personas, house_number: int = 500) -> Household:
    household = Household.objects.create(
        address=factories.AddressFactory.create(
            neighbourhood=personas.household.address.neighbourhood,
            postcode="9990AB",
            house_number=house_number,
        )
    )
    Involvement.objects.create(
        household=household,
        worker=personas.worker,
        kind=Involvement.Kind.LEAD,
        start_date=dt.date(2026, 1, 1),
    )
    return household


def _url(household: Household, name: str) -> str:
    return reverse(f"households:{name}", args=[household.pk])


def _lookups() -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(action=Action.SEARCH, details__page="composition-brp").order_by(
            "sequence"
        )
    )


def test_a_lookup_by_bsn_fills_the_new_person_form_and_is_logged_minimised(
    client: Client, personas: Personas, stub: BrpStub
) -> None:
    household = _household(personas)
    client.force_login(personas.worker)
    page = client.post(_url(household, "composition-brp-search"), {"bsn": ELIF_BSN})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ingevuld uit de BRP" in html
    assert 'value="Elif"' in html and 'value="Kaya"' in html
    assert 'value="02-04-1988"' in html and f'value="{ELIF_BSN}"' in html
    assert 'value="05-01-2026"' in html  # lives here (the BRP says) since 5 January
    assert "Woont volgens de BRP op dit adres." in html
    headers = {k.lower(): v for k, v in stub.requests[-1]["headers"].items()}
    assert headers["x-gebruiker"] == "wijkwerker"
    [event] = _lookups()
    assert event.ground == Ground.INVOLVEMENT
    assert event.actor_id == personas.worker.pk
    assert event.details["register"] == "BRP"
    assert event.details["purpose"] == "BRPACT-SociaalDomein"
    assert event.details["legal_ground"].startswith("Wet BRP")
    assert event.details["terms"] == {
        "kind": "bsn",
        "bsn_end": "653",
        "bsn_key": terms_key(ELIF_BSN),
    }
    assert ELIF_BSN not in json.dumps(event.details)  # no BSN in clear text in the log
    assert event.details["found"] == 1 and event.details["outcome"] == "answered"


def test_adding_the_person_from_the_brp_records_the_source(
    client: Client, personas: Personas, stub: BrpStub
) -> None:
    household = _household(personas)
    client.force_login(personas.worker)
    html = client.post(
        _url(household, "composition-brp-search"), {"bsn": ELIF_BSN}
    ).content.decode()
    token = html.split('name="register" value="')[1].split('"')[0]
    response = client.post(
        _url(household, "composition-add-new"),
        {
            "surname": "Kaya",
            "given_names": "Elif",
            "initials": "E.",
            "date_of_birth": "02-04-1988",
            "bsn": ELIF_BSN,
            "role": "head",
            "start_date": "05-01-2026",
            "register": token,
        },
    )
    assert response.status_code == 302
    membership = household.memberships.get()
    assert membership.person.bsn == ELIF_BSN
    event = AuditEvent.objects.get(action=Action.CREATE, details__change="moved_in")
    assert event.details["source"] == "BRP"


def test_a_lookup_by_surname_birth_date_and_postcode(
    client: Client, personas: Personas, stub: BrpStub
) -> None:
    household = _household(personas)
    client.force_login(personas.worker)
    found = client.post(
        _url(household, "composition-brp-search"),
        {"surname": "kaya", "date_of_birth": "02-04-1988", "postcode": "9990 ab"},
    ).content.decode()
    assert 'value="Elif"' in found
    assert stub.requests[-1]["body"]["type"] == "ZoekMetGeslachtsnaamEnGeboortedatum"
    elsewhere = client.post(
        _url(household, "composition-brp-search"),
        {"surname": "Kaya", "date_of_birth": "02-04-1988", "postcode": "1234 AB"},
    ).content.decode()
    assert "De BRP kent deze persoon niet." in elsewhere
    terms = _lookups()[0].details["terms"]
    assert terms["surname_initial"] == "K" and terms["birth_year"] == 1988
    assert terms["postcode_area"] == "9990"
    assert "Kaya" not in json.dumps(terms) and "kaya" not in json.dumps(terms)


def test_not_found_offers_the_new_person_form_with_what_was_typed(
    client: Client, personas: Personas, stub: BrpStub
) -> None:
    household = _household(personas)
    client.force_login(personas.worker)
    html = client.post(
        _url(household, "composition-brp-search"),
        {"surname": "Jansen", "date_of_birth": "01-01-1950"},
    ).content.decode()
    assert "De BRP kent deze persoon niet." in html
    assert 'value="Jansen"' in html and "Nieuwe persoon toevoegen" in html
    assert _lookups()[0].details["found"] == 0


@pytest.mark.parametrize("trouble", ["down", "slow", "error"])
def test_the_brp_down_says_so_in_dutch_and_the_worker_can_type_the_person_in(
    client: Client, personas: Personas, stub: BrpStub, trouble: str
) -> None:
    household = _household(personas)
    client.force_login(personas.worker)
    if trouble == "down":
        stub.go_down()
    else:
        stub.mode = trouble
    html = client.post(
        _url(household, "composition-brp-search"),
        {"surname": "Kaya", "date_of_birth": "02-04-1988"},
    ).content.decode()
    assert "De BRP is nu niet bereikbaar" in html
    assert 'value="Kaya"' in html and "Nieuwe persoon toevoegen" in html
    assert _lookups()[0].details["outcome"] == "error"


def test_a_bad_certificate_configuration_names_the_administrator(
    client: Client, personas: Personas, stub: BrpStub, settings: Any
) -> None:
    settings.BRP_API_URL = "https://127.0.0.1:9/haalcentraal/api/brp"
    settings.BRP_CLIENT_CERT = "/nowhere/client.pem"
    household = _household(personas)
    client.force_login(personas.worker)
    html = client.post(
        _url(household, "composition-brp-search"), {"bsn": ELIF_BSN}
    ).content.decode()
    assert "niet goed ingesteld" in html and "beheerder" in html
    assert "Nieuwe persoon toevoegen" in html


def test_a_bad_search_is_refused_on_its_field(
    client: Client, personas: Personas, stub: BrpStub
) -> None:
    household = _household(personas)
    client.force_login(personas.worker)
    response = client.post(_url(household, "composition-brp-search"), {"surname": "Kaya"})
    assert response.status_code == 400
    assert "om in de BRP te zoeken" in response.content.decode()
    response = client.post(_url(household, "composition-brp-search"), {"bsn": "123456789"})
    assert response.status_code == 400
    assert "elfproef" in response.content.decode()
    assert stub.requests == [] and _lookups() == []


def test_only_who_may_change_the_file_may_look_up(
    client: Client, personas: Personas, stub: BrpStub
) -> None:
    household = _household(personas)
    client.force_login(personas.colleague)
    response = client.post(_url(household, "composition-brp-search"), {"bsn": ELIF_BSN})
    assert response.status_code == 404
    assert stub.requests == []


def test_switched_off_there_is_no_lookup(client: Client, personas: Personas, settings: Any) -> None:
    settings.BRP_API_URL = ""
    settings.BRP_SYNTHETIC = False
    household = _household(personas)
    client.force_login(personas.worker)
    page = client.get(_url(household, "composition")).content.decode()
    assert "Zoek in de BRP" not in page and "Zoeken in de BRP staat hier uit" in page
    response = client.post(_url(household, "composition-brp-search"), {"bsn": ELIF_BSN})
    assert response.status_code == 400


# --- the demo's synthetic register -------------------------------------------------------


def test_the_demo_looks_in_the_synthetic_register(
    client: Client, personas: Personas, settings: Any
) -> None:
    settings.BRP_API_URL = ""
    settings.BRP_SYNTHETIC = True
    person = personas.household.memberships.get().person
    person.bsn = "111222333"
    person.save()
    household = _household(personas)
    client.force_login(personas.worker)
    page = client.get(_url(household, "composition")).content.decode()
    assert "verzonnen gemeente" in page
    html = client.post(
        _url(household, "composition-brp-search"), {"bsn": "111222333"}
    ).content.decode()
    # Already in Buurtkracht: offered for adding, never created twice.
    assert "Deze persoon staat al in Buurtkracht" in html
    assert 'name="token"' in html
    [event] = _lookups()
    assert event.details["register"] == "synthetic register"
    assert list(event.subjects.values_list("person_id", flat=True)) == [person.pk]


# --- the register's view beside the worker's ---------------------------------------------


def _member(household: Household, **person: object) -> Membership:
    return Membership.objects.create(
        household=household,
        person=factories.PersonFactory.create(**{"surname_prefix": "", **person}),
        role=Membership.Role.HEAD,
        start_date=dt.date(2025, 1, 1),
    )


def test_the_register_differs_and_the_worker_takes_its_name(
    client: Client, personas: Personas, stub: BrpStub
) -> None:
    household = _household(personas)
    member = _member(
        household,
        bsn=ELIF_BSN,
        surname="Kaja",
        given_names="Elif",
        initials="E.",
        date_of_birth=dt.date(1988, 4, 2),
    )
    client.force_login(personas.worker)
    html = client.post(_url(household, "composition-brp-compare")).content.decode()
    assert "De BRP wijkt af" in html and "Elif Kaja" in html and "Elif Kaya" in html
    event = AuditEvent.objects.get(action=Action.SEARCH, details__page="composition-brp-compare")
    assert list(event.subjects.values_list("person_id", flat=True)) == [member.person_id]
    token = html.split('name="take" value="')[1].split('"')[0]
    response = client.post(_url(household, "composition-brp-take"), {"take": token})
    assert response.status_code == 302
    member.person.refresh_from_db()
    assert member.person.surname == "Kaya"
    change = AuditEvent.objects.get(details__change="name")
    assert change.details["source"] == "BRP"
    assert change.details["before"] == {"surname": "Kaja"}


def test_the_register_has_the_member_elsewhere_and_the_move_out_is_taken(
    client: Client, personas: Personas, stub: BrpStub
) -> None:
    household = _household(personas, house_number=7)  # ELIF lives at number 500
    member = _member(
        household,
        bsn=ELIF_BSN,
        surname="Kaya",
        given_names="Elif",
        date_of_birth=dt.date(1988, 4, 2),
    )
    client.force_login(personas.worker)
    html = client.post(_url(household, "composition-brp-compare")).content.decode()
    assert "Vertrek vastleggen zoals de BRP het heeft" in html
    assert "sinds 05-01-2026" in html
    token = html.split('name="take" value="')[1].split('"')[0]
    client.post(_url(household, "composition-brp-take"), {"take": token})
    member.refresh_from_db()
    assert member.end_date == dt.date(2026, 1, 4)


def test_a_member_the_register_agrees_with_or_does_not_know(
    client: Client, personas: Personas, stub: BrpStub
) -> None:
    household = _household(personas)
    _member(
        household,
        bsn=ELIF_BSN,
        surname="Kaya",
        given_names="Elif",
        initials="E.",
        date_of_birth=dt.date(1988, 4, 2),
    )
    _member(household, bsn="111222333", surname="Onbekend")
    _member(household, surname="Zonder")
    client.force_login(personas.worker)
    html = client.post(_url(household, "composition-brp-compare")).content.decode()
    assert "Gelijk aan de BRP." in html
    assert "De BRP kent het BSN van deze persoon niet." in html
    assert "Geen BSN bekend" in html


# --- duplicates and births (item 3 leftovers) --------------------------------------------


def test_a_correction_that_would_make_a_duplicate_is_refused(personas: Personas) -> None:
    existing = factories.PersonFactory.create(
        surname="Kaya", given_names="Elif", initials="E.", date_of_birth=dt.date(1988, 4, 2)
    )
    other = factories.PersonFactory.create(
        surname="Kaja", given_names="Elif", initials="E.", date_of_birth=dt.date(1988, 4, 2)
    )
    with pytest.raises(DuplicatePerson) as refused:
        person_correct_name(person=other, surname="Kaya", given_names="Elif")
    assert refused.value.existing == existing
    other.refresh_from_db()
    assert other.surname == "Kaja"
    third = factories.PersonFactory.create(
        surname="Kaya", given_names="Elif", initials="E.", date_of_birth=dt.date(1990, 1, 1)
    )
    with pytest.raises(DuplicatePerson):
        person_correct_birth_date(person=third, date_of_birth=dt.date(1988, 4, 2))


def test_a_child_living_here_from_birth_is_recorded_as_a_birth(personas: Personas) -> None:
    born = _today() - dt.timedelta(days=3)
    member_add_new(
        household=personas.household,
        role=Membership.Role.CHILD,
        start_date=born,
        surname="Kaya",
        given_names="Deniz",
        date_of_birth=born,
        user=personas.worker,
    )
    assert AuditEvent.objects.filter(details__change="birth").count() == 1


def test_twins_in_the_brp_the_worker_chooses_whose_details_to_use(
    client: Client, personas: Personas, stub: BrpStub
) -> None:
    stub.persons.append(
        api_person(
            "999990020",
            voornamen="Emre",
            geslachtsnaam="Kaya",
            geboortedatum=dt.date(1988, 4, 2),
            postcode="9990AB",
            huisnummer=500,
        )
    )
    household = _household(personas)
    client.force_login(personas.worker)
    html = client.post(
        _url(household, "composition-brp-search"),
        {"surname": "Kaya", "date_of_birth": "02-04-1988"},
    ).content.decode()
    assert html.count("Deze gegevens gebruiken") == 2
    assert "Nieuwe persoon toevoegen" not in html  # not filled until the worker chooses
    emre = html.split('name="register" value="')[2].split('"')[0]
    filled = client.post(_url(household, "composition-brp-use"), {"register": emre})
    assert 'value="Emre"' in filled.content.decode()
    forged = client.post(_url(household, "composition-brp-use"), {"register": "made-up"})
    assert forged.status_code == 302


def test_the_synthetic_register_has_a_person_at_their_first_address(
    client: Client, personas: Personas, settings: Any
) -> None:
    settings.BRP_API_URL = ""
    settings.BRP_SYNTHETIC = True
    membership = personas.household.memberships.get()
    person = membership.person
    person.bsn = "111222333"
    person.save()
    household = _household(personas)
    Membership.objects.create(
        household=household, person=person, role=Membership.Role.HEAD, start_date=_today()
    )
    client.force_login(personas.worker)
    html = client.post(_url(household, "composition-brp-compare")).content.decode()
    assert "De BRP wijkt af" in html
    assert personas.household.address.street_line.split(",")[0] in html


def test_taking_a_name_that_makes_a_duplicate_is_refused_with_the_existing_person(
    client: Client, personas: Personas, stub: BrpStub
) -> None:
    household = _household(personas)
    member = _member(
        household,
        bsn=ELIF_BSN,
        surname="Kaja",
        given_names="Elif",
        initials="E.",
        date_of_birth=dt.date(1988, 4, 2),
    )
    existing = Membership.objects.create(
        household=personas.household,
        person=factories.PersonFactory.create(
            surname="Kaya", given_names="Elif", initials="E.", date_of_birth=dt.date(1988, 4, 2)
        ),
        role=Membership.Role.PARTNER,
    )
    personas.make_worker_lead()
    client.force_login(personas.worker)
    html = client.post(_url(household, "composition-brp-compare")).content.decode()
    token = html.split('name="take" value="')[1].split('"')[0]
    response = client.post(_url(household, "composition-brp-take"), {"take": token})
    page = response.content.decode()
    assert response.status_code == 200
    assert "staat al in het register" in page
    assert reverse("workspace:household", args=[existing.household_id]) in page
    member.person.refresh_from_db()
    assert member.person.surname == "Kaja"


def test_the_register_search_hands_its_terms_to_the_brp_search(
    client: Client, personas: Personas, stub: BrpStub
) -> None:
    household = _household(personas)
    client.force_login(personas.worker)
    html = client.get(
        _url(household, "composition"),
        {"search": "1", "surname": "Kaya", "date_of_birth": "02-04-1988"},
    ).content.decode()
    assert 'id="id_brp_surname"' in html
    brp_form = html.split('id="brp-heading"')[1].split("</form>")[0]
    assert 'value="Kaya"' in brp_form and 'value="02-04-1988"' in brp_form
