from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from buurtkracht.core import validators
from buurtkracht.core.models import Organisation
from buurtkracht.core.names import fold
from buurtkracht.households.models import Consent, Person
from buurtkracht.households.queries import SearchTerms


class HouseholdSearchForm(forms.Form):
    """Find a household by surname and date of birth, or by postcode and house number.

    Both ways need two facts that someone in front of the worker can give; a file the
    worker may not read is only offered (for emergency access) on such an exact match."""

    surname = forms.CharField(label=_("Surname"), required=False, max_length=100)
    date_of_birth = forms.DateField(
        validators=[validators.validate_date_of_birth],
        label=_("Date of birth"),
        required=False,
        input_formats=["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("For example 17-05-1970."),
    )
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=7)
    house_number = forms.IntegerField(label=_("House number"), required=False, min_value=1)

    def clean_postcode(self) -> str:
        value = self.cleaned_data.get("postcode") or ""
        return validators.normalise_postcode(value) if value.strip() else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        by_person = data.get("surname") and data.get("date_of_birth")
        by_address = data.get("postcode") and data.get("house_number")
        if not self.errors and not (by_person or by_address):
            raise ValidationError(
                _("Fill in a surname with a date of birth, or a postcode with a house number.")
            )
        return data


_DATE = re.compile(r"(?<![\d-])(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?![\d-])")
_POSTCODE = re.compile(r"(?<!\d)([1-9]\d{3})\s?([a-zA-Z]{2})(?![a-zA-Z])")
_BSN = re.compile(r"(?<![\d.])\d{3}[.\s]?\d{2}[.\s]?\d{2}[.\s]?\d{1,2}(?![\d.])")
_NUMBER = re.compile(r"(?<![\w-])(\d{1,5})(?:\s?([a-zA-Z])(?![a-zA-Z]))?(?:-(\w{1,4}))?(?!\w)")


class QuickSearchForm(forms.Form):
    """The search box on every page: one line that holds a name (surname, given name,
    part of either), a street with a house number, a postcode (with or without a house
    number), a date of birth (dd-mm-jjjj) or a BSN, or several of these together. `clean`
    turns the line into `SearchTerms`; what it cannot read is a clear error."""

    error_summary = False  # the results page says what to change (workspace/search.html)
    q = forms.CharField(label=_("Search households"), max_length=100, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = " ".join((data.get("q") or "").split())
        if not text:
            raise ValidationError(_("Type what you are looking for."), code="empty")
        terms: dict[str, Any] = {}
        rest = text
        if match := _DATE.search(rest):
            day, month, year = (int(part) for part in match.groups())
            try:
                born = dt.date(year, month, day)
            except ValueError:
                raise ValidationError(
                    _("“%(value)s” is not a date. Write a date of birth as dd-mm-jjjj."),
                    code="date",
                    params={"value": match.group(0)},
                ) from None
            if (problem := validators.date_of_birth_error(born)) is not None:
                raise ValidationError(problem, code="date")
            terms["date_of_birth"] = born
            rest = rest.replace(match.group(0), " ", 1)
        if match := _POSTCODE.search(rest):
            terms["postcode"] = validators.normalise_postcode(match.group(0))
            rest = rest.replace(match.group(0), " ", 1)
        if match := _BSN.search(rest):
            terms["bsn"] = validators.normalise_bsn(match.group(0))
            rest = rest.replace(match.group(0), " ", 1)
        if match := _NUMBER.search(rest):
            terms["house_number"] = int(match.group(1))
            terms["house_letter"] = (match.group(2) or "").upper()
            rest = rest.replace(match.group(0), " ", 1)
        if any(char.isdigit() for char in rest):
            raise ValidationError(
                _(
                    "Use one house number, a date of birth as dd-mm-jjjj, a postcode such as "
                    "1234 AB or a BSN of 9 digits."
                ),
                code="numbers",
            )
        words = tuple(fold(rest).split())
        if "house_number" in terms and not (words or "postcode" in terms):
            raise ValidationError(
                _("Add the street or the postcode to the house number."), code="number_only"
            )
        facts = {"date_of_birth", "postcode", "bsn"} & set(terms)
        if not facts and not any(len(word) >= SearchTerms.MIN_WORD for word in words):
            raise ValidationError(
                _(
                    "Type at least %(count)s letters of a name or street, or a postcode, "
                    "date of birth or BSN."
                ),
                code="too_short",
                params={"count": SearchTerms.MIN_WORD},
            )
        data["terms"] = SearchTerms(words=words, **terms)
        return data


class EmergencyAccessForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need this file now?"),
        help_text=_(
            "Your reason is saved with your name. The team leader and the privacy officer "
            "read it afterwards."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Your judgement"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class ConsentForm(forms.Form):
    """Record a consent. The person is one of the household's members."""

    person: forms.ModelChoiceField[Person] = forms.ModelChoiceField(
        label=_("Whose consent"),
        queryset=Person.objects.none(),
        error_messages={"required": _("Choose whose consent this is.")},
    )
    purpose = forms.ChoiceField(label=_("For what"), choices=Consent.Purpose.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        help_text=_("Only when sharing with an organisation."),
    )
    counterpart = forms.CharField(
        label=_("Name of the person"),
        required=False,
        max_length=150,
        help_text=_("Only for someone from their network or a volunteer."),
    )
    given = forms.TypedChoiceField(
        label=_("Answer"),
        error_messages={"required": _("Choose whether the resident said yes or no.")},
        choices=[("1", _("Yes, consent given")), ("0", _("No, consent refused"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    method = forms.ChoiceField(
        label=_("How"),
        choices=Consent.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the resident gave their answer.")},
    )
    valid_until = forms.DateField(
        validators=[validators.CONSENT_VALID_UNTIL],
        label=_("Valid until"),
        required=False,
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
        help_text=_("Leave empty when it holds until withdrawn. For example 31-12-2027."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = members  # type: ignore[attr-defined]
        only = list(members[:2])
        if len(only) == 1:  # one member: nothing to choose
            self.fields["person"].initial = only[0].pk


VALID_UNTIL_FORMATS = ["%d-%m-%Y", "%Y-%m-%d"]

# The purposes of consent in the resident's own words.
RESIDENT_PURPOSES: dict[str, Any] = {
    Consent.Purpose.SHARE_WITH_ORGANISATION: _("Share my information with an organisation"),
    Consent.Purpose.INVOLVE_NETWORK_MEMBER: _("Involve someone from my network"),
    Consent.Purpose.SHARE_WITH_VOLUNTEER: _("Share my information with a volunteer"),
    Consent.Purpose.STORY_IN_REPORT: _("Use my story in a report"),
}


class ResidentConsentForm(forms.Form):
    """A resident gives consent online, for themselves (households.consent_online)."""

    purpose = forms.ChoiceField(
        label=_("What may we do"),
        choices=list(RESIDENT_PURPOSES.items()),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you give consent for.")},
    )
    organisation = forms.ModelChoiceField(
        label=_("With which organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("Only when we may share information with an organisation."),
    )
    counterpart = forms.CharField(
        label=_("With whom"),
        required=False,
        max_length=150,
        help_text=_("Only for someone from your network or a volunteer: their name."),
    )
    valid_until = forms.DateField(
        validators=[validators.CONSENT_VALID_UNTIL],
        label=_("Until"),
        required=False,
        input_formats=VALID_UNTIL_FORMATS,
        help_text=_("Leave empty if it holds until you withdraw it. For example 31-12-2027."),
    )


class ConsentLimitForm(forms.Form):
    """A resident keeps a consent, but only until a date."""

    valid_until = forms.DateField(
        validators=[validators.CONSENT_VALID_UNTIL],
        label=_("Valid until and including"),
        input_formats=VALID_UNTIL_FORMATS,
        help_text=_("For example 31-12-2027."),
        error_messages={"required": _("Write the last day the consent holds.")},
    )
