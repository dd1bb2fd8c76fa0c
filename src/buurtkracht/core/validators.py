"""Validators for Dutch identifiers, codes and names.

Every message says what is wrong and how to fix it (DESIGN.md: errors are for people).
Postcodes and BSNs go through python-stdnum, never a hand-written check.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidLength,
)
from stdnum.exceptions import (
    ValidationError as StdnumError,
)
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

# CBS (Statistics Netherlands) area codes: GM + 4 digits for a municipality, WK + the
# municipality's 4 digits + 2 for a district, BU + the district's 6 digits + 2 for a neighbourhood.
CBS_CODE_PATTERNS = {
    "GM": re.compile(r"^GM\d{4}$"),
    "WK": re.compile(r"^WK\d{6}$"),
    "BU": re.compile(r"^BU\d{8}$"),
}
CBS_CODE_EXAMPLES = {"GM": "GM0363", "WK": "WK036305", "BU": "BU03630501"}

# Letters from any alphabet (diacritics such as ë, é, ç, ı), with spaces, hyphens and
# apostrophes inside the name: "El Amrani", "Jansen-de Vries", "d'Ancona", "Kerstiëns".
_NAME_RE = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ '’\-.])*$")
# Surname prefixes (tussenvoegsels) are lowercase words: van, van der, de, 't, in 't, ter.
_PREFIX_RE = re.compile(r"^(?:[a-zà-ÿ]+|'t|’t|'s|’s)(?: (?:[a-zà-ÿ]+|'t|’t|'s|’s))*$")
_INITIALS_RE = re.compile(r"^(?:(?:[^\W\d_]|Th|Ch|IJ|Ph)\.)+$")
_PHONE_RE = re.compile(r"^(?:\+31|0031|0)[1-9]\d{8}$|^\+(?!31)\d{8,15}$")

OLDEST_PLAUSIBLE_AGE = 120


def normalise_postcode(value: str) -> str:
    """Return the compact form `1234AB` of a Dutch postcode, or raise a ValidationError."""
    raw = (value or "").strip()
    try:
        return str(stdnum_postcode.validate(raw)).replace(" ", "")
    except InvalidComponent as exc:
        raise ValidationError(
            _("Postcode %(value)s does not exist: the letters SA, SD and SS are never used."),
            code="invalid_postcode",
            params={"value": raw},
        ) from exc
    except StdnumError as exc:
        raise ValidationError(
            _(
                "Postcode “%(value)s” is not a Dutch postcode. Use four digits (not starting "
                "with 0) and two letters, for example 1234 AB."
            ),
            code="invalid_postcode",
            params={"value": raw},
        ) from exc


def validate_postcode(value: str) -> None:
    normalise_postcode(value)


def format_postcode(value: str) -> str:
    """Display form `1234 AB` of a stored compact postcode."""
    return f"{value[:4]} {value[4:]}" if len(value) == 6 else value


def validate_cbs_code(value: str, prefix: str) -> None:
    if not CBS_CODE_PATTERNS[prefix].match(value or ""):
        digits = {"GM": 4, "WK": 6, "BU": 8}[prefix]
        raise ValidationError(
            _(
                "CBS code “%(value)s” is not valid. It must be %(prefix)s followed by "
                "%(digits)s digits, for example %(example)s."
            ),
            code="invalid_cbs_code",
            params={
                "value": value,
                "prefix": prefix,
                "digits": digits,
                "example": CBS_CODE_EXAMPLES[prefix],
            },
        )


def validate_municipality_code(value: str) -> None:
    validate_cbs_code(value, "GM")


def normalise_bsn(value: str) -> str:
    """Return the 9-digit BSN, or raise a ValidationError saying what is wrong."""
    raw = (value or "").strip()
    # python-stdnum pads short numbers with zeros; a 5-digit entry is a typo, not a BSN.
    digits = re.sub(r"[\s.\-]", "", raw)
    if not (digits.isdigit() and len(digits) in (8, 9)):
        raise ValidationError(
            _("BSN “%(value)s” must be 8 or 9 digits. Leave the field empty if it is not known."),
            code="invalid_bsn",
            params={"value": raw},
        )
    try:
        return str(stdnum_bsn.validate(digits))
    except InvalidChecksum as exc:
        raise ValidationError(
            _(
                "BSN %(value)s fails the eleven-test: a digit is probably mistyped. "
                "Check the number on the identity document or leave the field empty."
            ),
            code="invalid_bsn",
            params={"value": raw},
        ) from exc
    except (InvalidLength, StdnumError) as exc:
        raise ValidationError(
            _("BSN “%(value)s” must be 8 or 9 digits. Leave the field empty if it is not known."),
            code="invalid_bsn",
            params={"value": raw},
        ) from exc


def validate_bsn(value: str) -> None:
    normalise_bsn(value)


def validate_name(value: str) -> None:
    """A given name or surname: letters (with diacritics), spaces, hyphens, apostrophes."""
    value = unicodedata.normalize("NFC", value or "").strip()
    if not value:
        raise ValidationError(
            _("The name is empty. Fill in at least one letter."), code="empty_name"
        )
    if any(ch.isdigit() for ch in value):
        raise ValidationError(
            _("The name “%(value)s” contains a digit. Names contain letters only."),
            code="invalid_name",
            params={"value": value},
        )
    if not _NAME_RE.match(value):
        raise ValidationError(
            _(
                "The name “%(value)s” contains a character that does not belong in a name. "
                "Use letters, spaces, hyphens and apostrophes only."
            ),
            code="invalid_name",
            params={"value": value},
        )


def validate_surname_prefix(value: str) -> None:
    if value and not _PREFIX_RE.match(value):
        raise ValidationError(
            _(
                "“%(value)s” is not a surname prefix. A prefix is written in lowercase, "
                "such as “van”, “van der” or “de”; put the rest of the name in the surname field."
            ),
            code="invalid_prefix",
            params={"value": value},
        )


def normalise_initials(value: str) -> str:
    """`jh` / `J H` / `J.H.` -> `J.H.`; multi-letter initials such as `Th.` are kept."""
    raw = (value or "").strip()
    if not raw:
        return ""
    if "." in raw:
        parts = [p.strip() for p in raw.split(".") if p.strip()]
    else:
        parts = raw.split() if " " in raw else list(raw)
    # Partners' systems write Th. and Ch. in capitals (TH., CH.); IJ stays IJ.
    result = "".join(
        "IJ." if p.upper() == "IJ" else f"{p[0].upper()}{p[1:].lower()}." for p in parts
    )
    if not _INITIALS_RE.match(result):
        raise ValidationError(
            _("Initials “%(value)s” are not valid. Write letters with dots, for example J.H."),
            code="invalid_initials",
            params={"value": raw},
        )
    return result


def validate_initials(value: str) -> None:
    normalise_initials(value)


def _day(value: dt.date) -> str:
    return f"{value.day:02d}-{value.month:02d}-{value.year:04d}"


@dataclass(frozen=True)
class DateRange:
    """The dates a person can sensibly type for one kind of date, relative to today in
    Europe/Amsterdam, so a mistyped year (1800, 2206) is caught and the message says which
    dates are possible. The one place for date ranges: forms use it as a validator,
    services and the signal parser ask `error()` (with the day they work on as `today`).

    From 1 January `years_back` years ago (or today when 0) up to 31 December `years_ahead`
    years on (or today when 0): whole years, so the range reads well in a message."""

    years_back: int
    years_ahead: int = 0

    def bounds(self, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
        today = today or timezone.localdate()
        earliest = dt.date(today.year - self.years_back, 1, 1) if self.years_back else today
        latest = dt.date(today.year + self.years_ahead, 12, 31) if self.years_ahead else today
        return earliest, latest

    def error(self, value: dt.date, *, today: dt.date | None = None) -> str | None:
        """What is wrong with `value` and which dates are possible, or None when it fits."""
        today = today or timezone.localdate()
        earliest, latest = self.bounds(today)
        if earliest <= value <= latest:
            return None
        params = {"value": _day(value), "earliest": _day(earliest), "latest": _day(latest)}
        if value > latest:
            if earliest == today:
                message = _(
                    "The date %(value)s lies too far ahead. Fill in a date between today and "
                    "%(latest)s."
                )
            elif latest == today:
                message = _(
                    "The date %(value)s lies in the future. Fill in a date between "
                    "%(earliest)s and today."
                )
            else:
                message = _(
                    "The date %(value)s lies too far ahead. Fill in a date between "
                    "%(earliest)s and %(latest)s."
                )
        elif earliest == today:
            message = _(
                "The date %(value)s lies in the past. Fill in a date between today and %(latest)s."
            )
        elif latest == today:
            message = _(
                "The date %(value)s lies too far back. Fill in a date between %(earliest)s "
                "and today."
            )
        else:
            message = _(
                "The date %(value)s lies too far back. Fill in a date between %(earliest)s "
                "and %(latest)s."
            )
        return str(message % params)

    def __call__(self, value: dt.date) -> None:
        if (message := self.error(value)) is not None:
            raise ValidationError(message, code="date_out_of_range")


# A person alive today was born at most OLDEST_PLAUSIBLE_AGE years ago.
DATE_OF_BIRTH = DateRange(years_back=OLDEST_PLAUSIBLE_AGE)
# Something that happened and is recorded now: a contact, a conversation, an agreement,
# a review, a visit, an assessment. Up to today; ten years back covers the longest file.
HAPPENED = DateRange(years_back=10)
# Something planned: a due date, the next review, an aftercare check, an appointment.
# Last year (recorded late) up to five years on.
PLANNED = DateRange(years_back=1, years_ahead=5)
# A worker's absence: recorded afterwards (last year at most) or planned (two years on).
ABSENCE = DateRange(years_back=1, years_ahead=2)
# A partner's signal of arrears is about the last months; two calendar years back at most.
SIGNAL_DATE = DateRange(years_back=2)
# Until when a consent holds: from today up to ten years on (AVG: consent is not forever).
CONSENT_VALID_UNTIL = DateRange(years_back=0, years_ahead=10)
# When a residents' budget vote opens or closes: up to two years on, and a few years back
# for a round entered afterwards, for the record.
VOTING_DATE = DateRange(years_back=3, years_ahead=2)
# A move into or out of a household: a file may record a household's composition from
# the oldest resident's birth, and a move already agreed for the coming year.
MEMBERSHIP_DATE = DateRange(years_back=OLDEST_PLAUSIBLE_AGE, years_ahead=1)
# A death recorded in a file: up to today, ten years back at most.
DATE_OF_DEATH = DateRange(years_back=10)
# The end of supply announced by an energy or water company: shortly before or after today.
END_OF_SUPPLY = DateRange(years_back=1, years_ahead=2)
# A mandate's validity: registered after it was agreed, for up to ten years ahead.
MANDATE_VALIDITY = DateRange(years_back=5, years_ahead=10)


def date_of_birth_error(value: dt.date, *, today: dt.date | None = None) -> str | None:
    """What is wrong with a date of birth, or None; the forms, the intake and the signal
    parser share these words."""
    today = today or timezone.localdate()
    if value > today:
        return str(
            _("The date of birth %(value)s is in the future. Check the year.")
            % {"value": _day(value)}
        )
    earliest, _latest = DATE_OF_BIRTH.bounds(today)
    if value < earliest:
        return str(
            _(
                "The date of birth %(value)s would make this person over %(age)s years old. "
                "Fill in a date between %(earliest)s and today."
            )
            % {
                "value": _day(value),
                "age": OLDEST_PLAUSIBLE_AGE,
                "earliest": _day(earliest),
            }
        )
    return None


def validate_date_of_birth(value: dt.date) -> None:
    if (message := date_of_birth_error(value)) is not None:
        raise ValidationError(message, code="implausible_birth_date")


def normalise_phone(value: str) -> str:
    raw = (value or "").strip()
    compact = re.sub(r"[\s\-().]", "", raw)
    if not _PHONE_RE.match(compact):
        raise ValidationError(
            _(
                "Phone number “%(value)s” is not valid. Use a Dutch number of 10 digits, "
                "such as 06 12345678, or an international number starting with +."
            ),
            code="invalid_phone",
            params={"value": raw},
        )
    return compact


def validate_phone(value: str) -> None:
    if value:
        normalise_phone(value)


def validate_house_letter(value: str) -> None:
    if value and not re.fullmatch(r"[A-Za-z]", value):
        raise ValidationError(
            _("The house letter “%(value)s” must be a single letter, such as A."),
            code="invalid_house_letter",
            params={"value": value},
        )


def validate_house_number_addition(value: str) -> None:
    if value and not re.fullmatch(r"[A-Za-z0-9]{1,4}", value):
        raise ValidationError(
            _(
                "The addition “%(value)s” must be at most 4 letters or digits, such as 2 or "
                "BIS or HS."
            ),
            code="invalid_addition",
            params={"value": value},
        )


# Links the product renders as <a href>: a web page, an e-mail address, a phone number.
# Anything else (javascript:, data:, vbscript:, file:) is refused wherever a link comes in.
WEB_SCHEMES = ("http", "https")
LINK_SCHEMES = (*WEB_SCHEMES, "mailto", "tel")


def link_scheme(value: str) -> str:
    """The scheme of a link as a browser reads it: without the spaces and control
    characters it ignores (`java\\tscript:` is `javascript:`), in lower case."""
    cleaned = "".join(c for c in value if c.isprintable() and not c.isspace())
    scheme, colon, _rest = cleaned.partition(":")
    return scheme.lower() if colon and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*", scheme) else ""


def link_error(value: str, schemes: tuple[str, ...] = LINK_SCHEMES) -> str | None:
    """Why `value` cannot be a link, or None when it can (empty is allowed)."""
    if not value.strip():
        return None
    if link_scheme(value) in schemes:
        return None
    if set(schemes) <= set(WEB_SCHEMES):
        message = _(
            "“%(value)s” is not a web address we can link to. Use one that starts with "
            "http:// or https://."
        )
    else:
        message = _(
            "“%(value)s” is not a link we can show. Use a web address (http:// or https://), "
            "an e-mail address (mailto:) or a phone number (tel:)."
        )
    return str(message % {"value": value[:80]})


def validate_web_link(value: str) -> None:
    """A website: http or https only."""
    if message := link_error(value, WEB_SCHEMES):
        raise ValidationError(message, code="unsafe_link")


def validate_link(value: str) -> None:
    """A link: a web page, mailto or tel."""
    if message := link_error(value):
        raise ValidationError(message, code="unsafe_link")
