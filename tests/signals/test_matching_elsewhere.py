"""Matching beyond the signal's address: movers found through the register's history
and by name and date of birth, neighbouring house numbers and postcode typos, routed to
where the person lives now; a placeholder date of birth does not count against anybody."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from buurtkracht.core.models import Address
from buurtkracht.households.models import Person
from buurtkracht.signals.matching import (
    MatchResult,
    MatchStatus,
    load_candidates_for,
    match_batch,
    match_signals,
)
from buurtkracht.signals.matching.elsewhere import postcode_variants
from buurtkracht.signals.matching.reasons import (
    R_AMBIGUOUS,
    R_LIVED_HERE,
    R_MOVED,
    R_NEAR_ADDRESS,
    R_SAME_BIRTH_ELSEWHERE,
)
from tests import factories
from tests.signals.test_matching import BORN, POSTCODE, resident, signal

pytestmark = pytest.mark.django_db

AUTOMATIC, REVIEW, NONE = MatchStatus.AUTOMATIC, MatchStatus.REVIEW, MatchStatus.NONE
NEW_POSTCODE = "9991XY"


def moved(person: Person, *, postcode: str = POSTCODE, house_number: int = 12) -> None:
    """`person` lived at the address until last year (a membership that has ended)."""
    address = Address.objects.filter(
        postcode=postcode, house_number=house_number
    ).first() or factories.AddressFactory.create(postcode=postcode, house_number=house_number)
    household = factories.HouseholdFactory.create(address=address)
    factories.MembershipFactory.create(
        household=household,
        person=person,
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2025, 6, 30),
    )


def batch_match(*facts: Any) -> list[MatchResult]:
    index = load_candidates_for(facts)
    return match_batch(list(facts), index)


def test_a_mover_is_found_at_the_new_address_through_the_history() -> None:
    # Lives at the old address now.
    resident(surname="Bakker", given_names="Anna", date_of_birth=dt.date(1990, 2, 3))
    mover = resident(surname="de Vries", given_names="Jan", postcode=NEW_POSTCODE, house_number=5)
    moved(mover)
    [result] = batch_match(signal(surname="Vries", surname_prefix="de", date_of_birth=BORN))
    assert result.status == AUTOMATIC, result
    assert result.person_id == mover.pk
    new_household = mover.memberships.get(end_date__isnull=True).household
    assert result.household_id == new_household.pk
    assert result.address_id == new_household.address_id
    assert result.found_at is not None and result.found_at.postcode == NEW_POSTCODE
    assert result.neighbourhood_id == new_household.address.neighbourhood_id
    assert R_LIVED_HERE in result.reasons and R_MOVED in result.reasons


def test_a_mover_without_date_of_birth_needs_the_full_initials() -> None:
    mover = resident(surname="Mulder", given_names="Jan Hendrik", postcode=NEW_POSTCODE)
    moved(mover)
    sure, doubt = batch_match(
        signal(surname="Mulder", initials="J.H."), signal(surname="Mulder", initials="J.")
    )
    assert (sure.status, sure.person_id) == (AUTOMATIC, mover.pk)
    assert (doubt.status, doubt.person_id) == (REVIEW, mover.pk)


def test_a_mover_with_another_date_of_birth_is_not_proposed() -> None:
    mover = resident(surname="Mulder", postcode=NEW_POSTCODE)
    moved(mover)
    [result] = batch_match(signal(surname="Mulder", date_of_birth=dt.date(1981, 3, 2)))
    assert result.status == NONE


def test_name_and_date_of_birth_alone_make_a_proposal() -> None:
    person = resident(surname="Yilmaz", given_names="Ayse", postcode=NEW_POSTCODE)
    factories.AddressFactory.create(postcode=POSTCODE, house_number=12)
    [result] = batch_match(signal(surname="Yılmaz", initials="A.", date_of_birth=BORN))
    assert (result.status, result.person_id) == (REVIEW, person.pk)
    assert R_SAME_BIRTH_ELSEWHERE in result.reasons
    # A proposal is routed by the signal's address until the officer confirms it.
    assert result.household_id is None


def test_two_people_who_fit_elsewhere_make_it_a_question() -> None:
    first = resident(surname="Jansen", given_names="Piet", postcode=NEW_POSTCODE)
    second = resident(surname="Jansen", given_names="Peter", postcode="9992AA")
    moved(first)
    moved(second)
    [result] = batch_match(signal(surname="Jansen", initials="P.", date_of_birth=BORN))
    assert result.status == REVIEW
    assert R_AMBIGUOUS in result.reasons
    assert {result.person_id, *(pid for pid, _ in result.alternatives)} == {first.pk, second.pk}


def test_a_neighbouring_house_number_with_the_date_of_birth_is_automatic() -> None:
    person = resident(surname="Smit", given_names="Karin", house_number=31, house_letter="A")
    factories.AddressFactory.create(postcode=POSTCODE, house_number=30)
    typed = signal(surname="Smit", initials="K.", house_number=30, addition="a")
    with_birth, without = batch_match(replace_dob(typed, BORN), typed)
    assert (with_birth.status, with_birth.person_id) == (AUTOMATIC, person.pk)
    assert R_NEAR_ADDRESS in with_birth.reasons
    assert (without.status, without.person_id) == (REVIEW, person.pk)


def test_a_postcode_one_key_off_is_found() -> None:
    person = resident(surname="Visser", given_names="Mark")
    assert "9990AN" in postcode_variants(POSTCODE)  # B and N are neighbouring keys
    [result] = batch_match(
        signal(surname="Visser", initials="M.", date_of_birth=BORN, postcode="9990AN")
    )
    assert (result.status, result.person_id) == (AUTOMATIC, person.pk)


def test_a_placeholder_date_of_birth_counts_against_nobody() -> None:
    person = resident(surname="Bos", given_names="Jan Hendrik")
    [result] = match_signals(
        [signal(surname="Bos", initials="J.H.", date_of_birth=dt.date(1900, 1, 1))]
    )
    assert (result.status, result.person_id) == (AUTOMATIC, person.pk)


def test_looking_elsewhere_costs_a_fixed_number_of_queries(
    django_assert_max_num_queries: Any,
) -> None:
    for number in range(1, 6):
        mover = resident(surname=f"Verhuisd{number}", postcode=NEW_POSTCODE, house_number=number)
        moved(mover, house_number=number)
    facts = [
        signal(surname=f"Verhuisd{n}", house_number=n, date_of_birth=BORN) for n in range(1, 6)
    ]
    with django_assert_max_num_queries(8):  # 2 at the addresses, up to 6 elsewhere
        results = match_signals(facts)
    assert {r.status for r in results} == {AUTOMATIC}


def replace_dob(facts: Any, born: dt.date) -> Any:
    from dataclasses import replace

    return replace(facts, date_of_birth=born)
