"""The texts of the dilemma log are refused when they hold an obvious identifier, and
the refusal says how to write it instead (core.anonymity)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from buurtkracht.core.anonymity import identifier_problems, validate_anonymous


def codes(text: str) -> list[str]:
    return [str(problem.code) for problem in identifier_problems(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Haar BSN is 111222333, de rest weet ik niet.",
        "BSN 1112.22.333 stond op de brief",
        "nummer 111 22 2333",
    ],
)
def test_a_bsn_that_passes_the_eleven_test_is_refused(text: str) -> None:
    assert codes(text) == ["bsn_in_text"]


def test_nine_digits_that_fail_the_eleven_test_are_no_bsn() -> None:
    # An IBAN's digits, a case number, an amount in cents: not every nine digits is a BSN.
    assert codes("Dossiernummer 123456789 bij de kredietbank") == []


@pytest.mark.parametrize("text", ["woont op 1234 AB", "postcode 1234AB, derde etage"])
def test_a_postcode_is_refused(text: str) -> None:
    assert codes(text) == ["postcode_in_text"]


@pytest.mark.parametrize(
    "text",
    [
        "In 2024 de huur niet betaald",  # a year and a lowercase word
        "1234 SS",  # SA, SD and SS are never used
        "0123 AB",  # a postcode never starts with 0
    ],
)
def test_what_is_no_postcode_passes(text: str) -> None:
    assert "postcode_in_text" not in codes(text)


@pytest.mark.parametrize("text", ["geboren 03-04-1985", "sinds 1/2/2019", "op 31.12.2020"])
def test_a_full_date_is_refused(text: str) -> None:
    assert codes(text) == ["date_in_text"]


@pytest.mark.parametrize("text", ["op 31-02-2020", "in 2020", "rond 12-2020", "een vrouw van 45"])
def test_what_is_no_full_date_passes(text: str) -> None:
    assert codes(text) == []


def test_each_kind_is_named_once_and_the_bsn_is_not_repeated_back() -> None:
    with pytest.raises(ValidationError) as refused:
        validate_anonymous("111222333 en 123456782, 1234 AB, 01-01-1990 en 02-02-1991")
    messages = refused.value.messages
    assert len(messages) == 3
    assert not any("111222333" in message for message in messages)
    assert any("burgerservicenummer" in m or "citizen service number" in m for m in messages)
