"""Free text that must stay anonymous: a dilemma, a lesson learnt, a precedent. The words
describe a situation, never who it is about, so the text is refused when it holds an
obvious identifier (issue 20). The checks are patterns, not a guarantee: a name is not
recognised, so the page still asks the writer to read their text again.

- a citizen service number (BSN): nine digits in a row (spaces or dots between groups
  allowed) that pass the eleven-test, through python-stdnum like every BSN check;
- a Dutch postcode: four digits (not starting with 0) and two capital letters, "1234 AB"
  or "1234AB", that python-stdnum accepts;
- a full date that exists, such as a date of birth: day-month-year with -, / or . between
  (31-01-1980, 1/2/2019).

Each message says what was found (not the value itself: a BSN is not repeated back on the
page) and how to write it instead.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

_BSN_RE = re.compile(
    r"(?<![\d.])(\d{3}[ .]?\d{2}[ .]?\d{2}[ .]?\d{2}|\d{4}[ .]?\d{2}[ .]?\d{3})(?![\d])"
)
_POSTCODE_RE = re.compile(r"(?<![\w])([1-9]\d{3}) ?([A-Z]{2})(?![\w])")
_DATE_RE = re.compile(r"(?<![\d])(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?![\d])")

BSN_MESSAGE = _(
    "The text holds a number that is a citizen service number (BSN). Leave the number out: "
    "describe the situation, not who it is about."
)
POSTCODE_MESSAGE = _(
    "The text holds a postcode. Leave it out, or name the neighbourhood instead, for "
    "example “in Lindenbuurt”."
)
DATE_MESSAGE = _(
    "The text holds a full date, which can be a date of birth. Write an age or a period "
    "instead, for example “a woman in her forties” or “last spring”."
)


def _has_bsn(text: str) -> bool:
    for match in _BSN_RE.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        if len(digits) == 9 and stdnum_bsn.is_valid(digits):
            return True
    return False


def _has_postcode(text: str) -> bool:
    for match in _POSTCODE_RE.finditer(text):
        if stdnum_postcode.is_valid(f"{match.group(1)} {match.group(2)}"):
            return True
    return False


def _has_date(text: str) -> bool:
    for match in _DATE_RE.finditer(text):
        day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        try:
            dt.date(year, month, day)
        except ValueError:
            continue
        return True
    return False


def identifier_problems(text: str) -> list[ValidationError]:
    """What in `text` looks like an identifier, one error per kind found."""
    problems = []
    if _has_bsn(text):
        problems.append(ValidationError(BSN_MESSAGE, code="bsn_in_text"))
    if _has_postcode(text):
        problems.append(ValidationError(POSTCODE_MESSAGE, code="postcode_in_text"))
    if _has_date(text):
        problems.append(ValidationError(DATE_MESSAGE, code="date_in_text"))
    return problems


def validate_anonymous(value: str) -> None:
    """A field validator: refuse text with a BSN, a postcode or a full date."""
    problems = identifier_problems(value or "")
    if problems:
        raise ValidationError(problems)
