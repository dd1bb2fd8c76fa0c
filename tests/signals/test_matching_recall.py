"""Recall without losing precision: call names, first-name typos, first name and surname
swapped between the fields, placeholder dates of birth, and the evaluation set's new
variations."""

from __future__ import annotations

import datetime as dt

import pytest

from buurtkracht.signals.matching import MatchStatus
from buurtkracht.signals.matching.callnames import call_names_of, is_call_name_of
from buurtkracht.signals.matching.names import usable_date_of_birth
from buurtkracht.signals.matching.reasons import (
    R_CALL_NAME,
    R_DIFFERENT_FIRST_NAME,
    R_FIRST_NAME_SPELLING,
    R_SWAPPED_NAMES,
)
from tests.signals.test_matching import BORN, match, resident, signal

AUTOMATIC, REVIEW, NONE = MatchStatus.AUTOMATIC, MatchStatus.REVIEW, MatchStatus.NONE


@pytest.mark.parametrize(
    ("written", "official", "fits"),
    [
        ("frans", "franciscus", True),
        ("ben", "bernardus", True),
        ("kees", "cornelis", True),
        ("franciscus", "frans", True),  # the register holding the call name
        ("kees", "johannes", False),
        ("jan", "jan", False),  # the same name is no call name
    ],
)
def test_call_names(written: str, official: str, fits: bool) -> None:
    assert is_call_name_of(written, official) is fits


def test_call_names_are_listed_for_the_evaluation_set() -> None:
    assert "frans" in call_names_of("franciscus")
    assert call_names_of("xerxes") == ()


@pytest.mark.parametrize(
    ("day", "usable"),
    [
        (dt.date(1900, 1, 1), False),
        (dt.date(1850, 6, 1), False),
        (None, False),
        (BORN, True),
    ],
)
def test_placeholder_dates_of_birth_are_set_aside(day: dt.date | None, usable: bool) -> None:
    assert (usable_date_of_birth(day) is not None) is usable


@pytest.mark.django_db
def test_a_call_name_fits_the_official_given_name() -> None:
    person = resident(surname="de Vries", given_names="Franciscus Johannes")
    result = match(signal(surname="de Vries", given_names="Frans", date_of_birth=BORN))
    assert (result.status, result.person_id) == (AUTOMATIC, person.pk)
    assert R_CALL_NAME in result.reasons


@pytest.mark.django_db
def test_a_call_name_keeps_two_brothers_apart() -> None:
    resident(surname="Mulder", given_names="Bernardus", date_of_birth=None)
    brother = resident(surname="Mulder", given_names="Cornelis", date_of_birth=None)
    result = match(signal(surname="Mulder", given_names="Kees"))
    assert (result.status, result.person_id) == (AUTOMATIC, brother.pk)


@pytest.mark.django_db
def test_a_typo_in_a_short_first_name_is_a_spelling() -> None:
    person = resident(surname="Bakker", given_names="Karin")
    result = match(signal(surname="Bakker", given_names="Kairn", date_of_birth=BORN))
    assert result.person_id == person.pk
    assert R_FIRST_NAME_SPELLING in result.reasons
    assert R_DIFFERENT_FIRST_NAME not in result.reasons


@pytest.mark.django_db
def test_first_name_and_surname_swapped_between_the_fields() -> None:
    person = resident(surname="Vries", prefix="de", given_names="Jan Hendrik")
    result = match(signal(surname="Jan", given_names="de Vries", date_of_birth=BORN))
    assert (result.status, result.person_id) == (AUTOMATIC, person.pk)
    assert R_SWAPPED_NAMES in result.reasons


@pytest.mark.django_db
def test_a_swapped_name_of_somebody_else_is_no_match() -> None:
    resident(surname="Vries", prefix="de", given_names="Jan Hendrik")
    result = match(
        signal(surname="Piet", given_names="de Vries", date_of_birth=dt.date(1990, 1, 2))
    )
    assert result.status == NONE


@pytest.mark.django_db
def test_a_placeholder_date_of_birth_does_not_count_against_the_person() -> None:
    person = resident(surname="Smit", given_names="Anna Maria")
    result = match(signal(surname="Smit", given_names="Anna", date_of_birth=dt.date(1900, 1, 1)))
    assert (result.status, result.person_id) == (AUTOMATIC, person.pk)
