"""One row: every field checked and cleaned, or a message that says what to correct."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from buurtkracht.core import validators
from buurtkracht.signals.columns import (
    CANONICAL_FIELDS,
    PARTNER_KIND_LOOKUP,
    PARTNER_KINDS,
    REPLACEMENT,
    cell_text,
    format_date,
    header_key,
    parse_amount,
    parse_date,
    split_house_number,
)
from buurtkracht.signals.parsing.records import CleanSignal, RowError

Fail = Callable[[str, str], None]
MAX_NAME_LENGTH = 200  # the BRP (Dutch register of persons) holds names of up to 200
Memo = dict[str, dict[str, str | RowError]]  # field -> value as written -> outcome


def _new_memo() -> Memo:
    names = ("initials", "given_names", "surname_prefix", "surname", "postcode", "house_letter")
    return {name: {} for name in (*names, "addition")}


def clean_row(
    raw: Mapping[str, object], *, today: dt.date, default_partner_kind: str = ""
) -> tuple[CleanSignal | None, list[RowError]]:
    """Clean one row keyed by canonical field name; other keys are ignored."""
    _check_partner_kind(default_partner_kind)
    texts = {name: cell_text(raw.get(name)) for name in CANONICAL_FIELDS}
    return _clean(texts, today, default_partner_kind, _new_memo())


# --- one row ---------------------------------------------------------------------------


def _clean(
    raw: Mapping[str, str], today: dt.date, default_kind: str, memo: Memo
) -> tuple[CleanSignal | None, list[RowError]]:
    errors: list[RowError] = []

    def fail(name: str, message: str) -> None:
        errors.append(RowError(name, message))

    # A character that is not text (NUL, a control character, half a surrogate pair) was
    # replaced by U+FFFD when the value was read: one message for that field, no others.
    unreadable = {name for name, text in raw.items() if REPLACEMENT in text}
    for name in unreadable:
        fail(name, unreadable_message := _unreadable_message())

    reference = " ".join(raw["partner_reference"].split())
    if not reference:
        fail("partner_reference", _("The reference is missing. Fill in the partner’s reference."))

    kind = _partner_kind(raw["partner_kind"], default_kind)
    if kind and kind not in PARTNER_KINDS:
        choices = ", ".join(names[0] for names in PARTNER_KINDS.values())
        message = _("Partner kind “%(value)s” is not known. Use one of: %(choices)s.")
        fail("partner_kind", message % {"value": _show(kind), "choices": choices})

    signal_date = _date(raw["signal_date"], "signal_date", fail)
    if signal_date is not None and signal_date > today:
        message = _("The signal date %(value)s is in the future. Check the date.")
        fail("signal_date", message % {"value": format_date(signal_date)})
    elif signal_date is not None and validators.SIGNAL_DATE.error(signal_date, today=today):
        earliest, _latest = validators.SIGNAL_DATE.bounds(today)
        message = _(
            "The signal date %(value)s lies too far back. Fill in a date between %(earliest)s "
            "and today."
        )
        fail(
            "signal_date",
            message % {"value": format_date(signal_date), "earliest": format_date(earliest)},
        )

    birth, warnings = _date_of_birth(raw["date_of_birth"], today)

    end_of_supply = _date(raw["end_of_supply_date"], "end_of_supply_date", fail)
    if end_of_supply is not None and validators.END_OF_SUPPLY.error(end_of_supply, today=today):
        earliest, latest = validators.END_OF_SUPPLY.bounds(today)
        message = _(
            "The end date of supply %(value)s is not possible. Fill in a date between "
            "%(earliest)s and %(latest)s."
        )
        fail(
            "end_of_supply_date",
            message
            % {
                "value": format_date(end_of_supply),
                "earliest": format_date(earliest),
                "latest": format_date(latest),
            },
        )
    initials = _checked("initials", raw["initials"], validators.normalise_initials, fail, memo)
    given_names = _checked("given_names", raw["given_names"], _valid_name, fail, memo)
    prefix = _checked("surname_prefix", raw["surname_prefix"], _valid_prefix, fail, memo)
    surname = _checked("surname", raw["surname"], _valid_name, fail, memo)
    if not surname:
        fail("surname", _("The surname is missing. Fill in the surname."))
    postcode = _checked("postcode", raw["postcode"], validators.normalise_postcode, fail, memo)
    if not postcode:
        fail("postcode", _("The postcode is missing. Write it as 1234 AB."))
    number, letter, addition = _house_number(raw, fail, memo)
    amount = _amount(raw["amount"], fail)
    missed_terms = _missed_terms(raw["missed_terms"], fail)

    if unreadable:
        errors = [e for e in errors if e.field not in unreadable or e.message == unreadable_message]
    if errors or signal_date is None or number is None:
        return None, errors
    signal = CleanSignal(
        partner_reference=reference,
        partner_kind=kind,
        signal_date=signal_date,
        initials=initials,
        given_names=given_names,
        surname_prefix=prefix,
        surname=surname,
        date_of_birth=birth,
        warnings=tuple(warnings),
        street=" ".join(raw["street"].split()),
        house_number=number,
        house_letter=letter,
        addition=addition,
        postcode=postcode,
        town=" ".join(raw["town"].split()),
        amount=amount,
        missed_terms=missed_terms,
        end_of_supply_date=end_of_supply,
    )
    return signal, errors


def _unreadable_message() -> str:
    return _(
        "This value holds a character that cannot be read (shown as �), such as a NUL or "
        "half of a broken character. Type the value again without it."
    )


def _checked(name: str, value: str, check: Callable[[str], str], fail: Fail, memo: Memo) -> str:
    """`value` as `check` normalises it, or as written when `check` finds fault.

    Remembered per file: names and postcodes repeat, and the checks are the slow part.
    """
    if not value:
        return ""
    known = memo[name]
    if (result := known.get(value)) is None:
        try:
            result = check(value)
        except ValidationError as exc:
            result = RowError(name, str(exc.messages[0]))
        known[value] = result
    if isinstance(result, RowError):
        fail(name, result.message)
        return value
    return result


def _valid_name(value: str) -> str:
    """A name as a partner's system holds the contract: "Vries, de", "'T HART",
    "Schildersbedrijf J. de Vries" are all real and matching reads them, so only what
    cannot be a name is refused (no letter at all, digits only, control characters)."""
    value = unicodedata.normalize("NFC", " ".join(value.split()))
    if not any(ch.isalpha() for ch in value):
        raise ValidationError(
            _("“%(value)s” is not a name: it has no letters. Fill in the surname.")
            % {"value": value}
        )
    if len(value) > MAX_NAME_LENGTH:
        raise ValidationError(
            _("The name is longer than %(limit)s characters. Shorten it.")
            % {"limit": MAX_NAME_LENGTH}
        )
    return value


def _valid_letter(value: str) -> str:
    validators.validate_house_letter(value)
    return value


def _valid_addition(value: str) -> str:
    validators.validate_house_number_addition(value)
    return value


def _valid_prefix(value: str) -> str:
    # Partners write "Van der" at the start of a line, "v.d." or "V/D" in short.
    value = " ".join(value.lower().split())
    if len(value) > 30 or any(ch.isdigit() for ch in value):
        validators.validate_surname_prefix(value)
    return value


# What partners' systems write when they do not know the date of birth.
_PLACEHOLDER_BIRTH_DATES = frozenset({dt.date(1900, 1, 1), dt.date(1901, 1, 1)})


def _date_of_birth(value: str, today: dt.date) -> tuple[dt.date | None, list[RowError]]:
    """The date of birth, or None with a warning when it is unreadable, impossible or a
    placeholder (01-01-1900): the field is set aside, not the row, as matching can do
    without a date of birth (issue 17)."""
    problems: list[RowError] = []

    def set_aside(name: str, message: str) -> None:
        problems.append(
            RowError(
                name,
                _("%(problem)s The date of birth is left out; the signal is matched without it.")
                % {"problem": message},
            )
        )

    birth = _date(value, "date_of_birth", set_aside)
    if birth is None:
        return None, problems
    if birth in _PLACEHOLDER_BIRTH_DATES:
        message = _("The date of birth %(value)s is a placeholder, not a real date.")
        set_aside("date_of_birth", message % {"value": format_date(birth)})
        return None, problems
    if wrong := validators.date_of_birth_error(birth, today=today):
        set_aside("date_of_birth", wrong)
        return None, problems
    return birth, problems


def _date(value: str, name: str, fail: Fail) -> dt.date | None:
    if not value:
        if name == "signal_date":
            fail(name, _("The signal date is missing. Write it as dd-mm-yyyy, such as 31-01-2026."))
        return None
    if (parsed := parse_date(value)) is None:
        message = {
            "signal_date": _(
                "The signal date “%(value)s” cannot be read. Write it as dd-mm-yyyy, such as "
                "31-01-2026."
            ),
            "date_of_birth": _(
                "The date of birth “%(value)s” cannot be read. Write it as dd-mm-yyyy, such as "
                "31-01-1980."
            ),
            "end_of_supply_date": _(
                "The end date of supply “%(value)s” cannot be read. Write it as dd-mm-yyyy, "
                "such as 31-01-2026."
            ),
        }[name]
        fail(name, message % {"value": _show(value)})
    return parsed


def _house_number(raw: Mapping[str, str], fail: Fail, memo: Memo) -> tuple[int | None, str, str]:
    """Number, letter and addition; the own columns for letter and addition come first."""
    value, letter, addition = raw["house_number"], raw["house_letter"], raw["addition"]
    letter, addition = letter.upper(), "".join(addition.split()).upper()
    letter = _checked("house_letter", letter, _valid_letter, fail, memo)
    addition = _checked("addition", addition, _valid_addition, fail, memo)
    if not value:
        fail("house_number", _("The house number is missing. Fill in a number, such as 12."))
        return None, letter, addition
    split = split_house_number(value)
    if split is None or not 0 < split[0] <= 99999:
        message = _(
            "House number “%(value)s” cannot be read. Write a number from 1 to 99999, perhaps "
            "with a letter or addition, such as 12, 12A or 12-2."
        )
        fail("house_number", message % {"value": _show(value)})
        return None, letter, addition
    number, own_letter, own_addition = split
    if (letter and own_letter and letter != own_letter) or (
        addition and own_addition and addition != own_addition
    ):
        message = _(
            "House number “%(value)s” does not match the house letter or addition in their "
            "own columns. Make them the same, or leave one empty."
        )
        fail("house_number", message % {"value": _show(value)})
        return None, letter, addition
    return number, letter or own_letter, addition or own_addition


def _amount(value: str, fail: Fail) -> Decimal | None:
    """Required: every signal is about arrears, and the amount is what makes it one."""
    if not value:
        fail(
            "amount",
            _(
                "The amount in arrears is missing. A signal is about arrears: fill in the "
                "amount still unpaid in euros, such as 1234,56."
            ),
        )
        return None
    if (amount := parse_amount(value)) is None:
        message = _(
            "The amount “%(value)s” cannot be read. Write an amount in euros, such as 1234,56."
        )
        fail("amount", message % {"value": _show(value)})
    elif amount < 0:
        message = _("The amount %(value)s is below zero. Fill in the amount that is still unpaid.")
        fail("amount", message % {"value": _show(value)})
    elif amount == 0:
        message = _(
            "The amount is %(value)s: nothing is in arrears. Fill in the amount still unpaid "
            "(more than 0), or leave the row out when nothing is owed."
        )
        fail("amount", message % {"value": _show(value)})
    return amount


def _missed_terms(value: str, fail: Fail) -> int | None:
    if not value:
        return None
    digits = value.removeprefix("-")
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 3):
        message = _(
            "The number of missed terms “%(value)s” cannot be read. Write a whole number, "
            "such as 3."
        )
        fail("missed_terms", message % {"value": _show(value)})
        return None
    if digits != value:
        fail("missed_terms", _("The number of missed terms cannot be below zero."))
    return int(value)


def _partner_kind(value: str, default_kind: str) -> str:
    """The canonical partner kind; a spelling we do not know comes back as written."""
    return _kind_of(value) if value else default_kind


@lru_cache(maxsize=256)  # a file holds one or a few spellings, on every row
def _kind_of(value: str) -> str:
    return PARTNER_KIND_LOOKUP.get(header_key(value), value)


def _check_partner_kind(kind: str) -> None:
    if kind and kind not in PARTNER_KINDS:
        raise ValueError(f"default_partner_kind must be '' or one of {list(PARTNER_KINDS)}")


def _show(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
