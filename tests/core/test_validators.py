import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from stdnum.nl import bsn as stdnum_bsn

from buurtkracht.core import validators


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1234 AB", "1234AB"), ("1234ab", "1234AB"), (" 7411 ke ", "7411KE"), ("9999ZZ", "9999ZZ")],
)
def test_postcode_is_normalised(raw: str, expected: str) -> None:
    assert validators.normalise_postcode(raw) == expected


@pytest.mark.parametrize("raw", ["0123AB", "12345", "1234A", "ABCD12", "", "1234 ABC"])
def test_postcode_with_wrong_shape_says_how_it_should_look(raw: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validators.normalise_postcode(raw)
    assert "1234 AB" in excinfo.value.messages[0]


def test_postcode_with_letters_that_are_never_used_says_so() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validators.normalise_postcode("1234 SS")
    assert "SA, SD" in excinfo.value.messages[0]


def test_format_postcode_puts_the_space_back() -> None:
    assert validators.format_postcode("1234AB") == "1234 AB"


@pytest.mark.parametrize(
    ("value", "prefix"), [("GM0363", "GM"), ("WK036305", "WK"), ("BU03630501", "BU")]
)
def test_valid_cbs_codes(value: str, prefix: str) -> None:
    validators.validate_cbs_code(value, prefix)


@pytest.mark.parametrize(
    ("value", "prefix"),
    [
        ("GM363", "GM"),
        ("gm0363", "GM"),
        ("WK0363051", "WK"),
        ("BU036305", "BU"),
        ("WK036305", "BU"),
    ],
)
def test_invalid_cbs_codes_name_an_example(value: str, prefix: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validators.validate_cbs_code(value, prefix)
    assert validators.CBS_CODE_EXAMPLES[prefix] in excinfo.value.messages[0]


def test_bsn_eleven_test() -> None:
    assert validators.normalise_bsn("111222333") == "111222333"
    with pytest.raises(ValidationError) as excinfo:
        validators.normalise_bsn("123456789")
    assert "elfproef" in excinfo.value.messages[0]
    with pytest.raises(ValidationError) as excinfo:
        validators.normalise_bsn("12345")
    assert "8 of 9 cijfers" in excinfo.value.messages[0]


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_bsn_validator_agrees_with_stdnum(number: str) -> None:
    # Our wrapper only adds messages: it must accept exactly what python-stdnum accepts.
    try:
        validators.normalise_bsn(number)
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == stdnum_bsn.is_valid(number)


@pytest.mark.parametrize(
    "name",
    ["Yılmaz", "Kerstiëns", "El Amrani", "Jansen-de Vries", "d'Ancona", "Zoë", "Çelik", "O’Neill"],
)
def test_real_world_name_shapes_are_accepted(name: str) -> None:
    validators.validate_name(name)


@pytest.mark.parametrize("name", ["Jan3", "Piet!", "-Jan", "", "   ", "Anna_Maria"])
def test_names_with_digits_or_symbols_are_refused(name: str) -> None:
    with pytest.raises(ValidationError):
        validators.validate_name(name)


def test_name_with_a_digit_says_so() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validators.validate_name("Jans3n")
    assert "cijfer" in excinfo.value.messages[0]


@pytest.mark.parametrize("prefix", ["van", "van der", "de", "'t", "in 't", "ter", "van den"])
def test_surname_prefixes(prefix: str) -> None:
    validators.validate_surname_prefix(prefix)


@pytest.mark.parametrize("prefix", ["Van", "van Dijk", "v.d."])
def test_wrong_surname_prefixes_point_to_the_surname_field(prefix: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validators.validate_surname_prefix(prefix)
    assert "kleine letters" in excinfo.value.messages[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("jh", "J.H."),
        ("J.H.", "J.H."),
        ("J H", "J.H."),
        ("Th.", "Th."),
        ("TH.M.", "Th.M."),  # as partners' systems write it
        ("ch.j.", "Ch.J."),
        ("IJ.", "IJ."),
        ("", ""),
    ],
)
def test_initials_are_normalised(raw: str, expected: str) -> None:
    assert validators.normalise_initials(raw) == expected


def test_initials_with_digits_are_refused() -> None:
    with pytest.raises(ValidationError):
        validators.normalise_initials("J.2.")


def test_date_of_birth_in_the_future_is_refused() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validators.validate_date_of_birth(timezone.localdate() + dt.timedelta(days=2))
    assert "toekomst" in excinfo.value.messages[0]


def test_implausibly_old_date_of_birth_is_refused() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validators.validate_date_of_birth(dt.date(1850, 1, 1))
    assert "120" in excinfo.value.messages[0]
    validators.validate_date_of_birth(dt.date(1930, 1, 1))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("06 12345678", "0612345678"),
        ("+31 6 1234 5678", "+31612345678"),
        ("020-1234567", "0201234567"),
    ],
)
def test_phone_numbers(raw: str, expected: str) -> None:
    assert validators.normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "06-1234", "0012345678", "telefoon"])
def test_bad_phone_numbers_give_an_example(raw: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validators.normalise_phone(raw)
    assert "06 12345678" in excinfo.value.messages[0]


def test_house_letter_and_addition() -> None:
    validators.validate_house_letter("A")
    validators.validate_house_number_addition("BIS")
    with pytest.raises(ValidationError):
        validators.validate_house_letter("AB")
    with pytest.raises(ValidationError):
        validators.validate_house_number_addition("3 hoog")


@pytest.mark.parametrize(
    "raw",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\x01javascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
    ],
)
def test_script_and_other_links_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError):
        validators.validate_link(raw)
    with pytest.raises(ValidationError):
        validators.validate_web_link(raw)


def test_web_mail_and_phone_links_are_taken() -> None:
    for link in (
        "https://a.example/x",
        "HTTP://a.example",
        "mailto:a@b.example",
        "tel:+31612345678",
    ):
        validators.validate_link(link)
    validators.validate_web_link("https://a.example/")
    validators.validate_link("")
    with pytest.raises(ValidationError):
        validators.validate_web_link("mailto:a@b.example")
    with pytest.raises(ValidationError):
        validators.validate_link("/relative/path")
