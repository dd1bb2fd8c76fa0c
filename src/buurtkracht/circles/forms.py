"""Forms of learning circles. No resident case data enters a circle: every text field
says so, and refuses a number shaped like a BSN or a postcode with a house number."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from stdnum.nl import bsn as stdnum_bsn

from buurtkracht.accounts.models import User
from buurtkracht.circles.models import Circle, Meeting, Member
from buurtkracht.circles.queries import colleagues
from buurtkracht.core import validators
from buurtkracht.core.filetypes import Examined, examine
from buurtkracht.core.forms import day_field
from buurtkracht.core.models import Area

NO_CASE_DATA = _(
    "Write nothing about a resident's case: no names of residents you help, no addresses, "
    "no BSN. What the circle writes is read by everyone in it."
)
_NUMBERS = re.compile(r"(?<![\d])\d(?:[\s.\-]?\d){7,8}(?![\d])")
_POSTCODE_AND_NUMBER = re.compile(r"\b[1-9]\d{3}\s?[A-Za-z]{2}\b[\s,]*\d{1,5}\b")
_ADDRESS = re.compile(
    r"\b[A-Z][a-z]+(?:straat|laan|weg|plein|pad|hof|kade|gracht|singel)\s+\d{1,5}\b"
)


def refuse_case_data(value: str) -> None:
    """Refuse text holding a BSN (a number of 8 or 9 digits that passes the eleven-test)
    or an address (a postcode with a house number, or a street with a number)."""
    for match in _NUMBERS.finditer(value or ""):
        digits = re.sub(r"\D", "", match.group())
        if stdnum_bsn.is_valid(digits):
            raise forms.ValidationError(
                _(
                    "This text holds a number that looks like a BSN. A circle holds no "
                    "resident case data: take the number out."
                )
            )
    if _POSTCODE_AND_NUMBER.search(value or "") or _ADDRESS.search(value or ""):
        raise forms.ValidationError(
            _(
                "This text holds what looks like someone's address. A circle holds no "
                "resident case data: write the street or neighbourhood without a house "
                "number."
            )
        )


def _text(
    label: Any,
    *,
    required: bool = True,
    max_length: int = 4000,
    help_text: Any = NO_CASE_DATA,
    rows: int = 5,
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        validators=[refuse_case_data],
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _line(
    label: Any, *, required: bool = True, max_length: int = 150, help_text: Any = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        validators=[refuse_case_data],
    )


def _date(label: Any, date_range: validators.DateRange) -> forms.DateField:
    """A day typed as dd-mm-jjjj, with the help and errors every form shares."""
    return day_field(date_range, label=label)


class NeighbourhoodChoice(forms.ModelMultipleChoiceField[Area]):
    def label_from_instance(self, obj: Area) -> str:
        return obj.name


class ColleagueChoice(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.organisation.name})" if obj.organisation else name


class MeetingChoice(forms.ModelChoiceField[Meeting]):
    def label_from_instance(self, obj: Meeting) -> str:
        return obj.held_on.strftime("%d-%m-%Y")


class CircleForm(forms.Form):
    title = _line(
        _("Theme"), help_text=_("The social theme, for example “Loneliness in De Linde”.")
    )
    question = _text(
        _("Question"),
        max_length=2000,
        help_text=format_lazy(
            "{} {}", _("What the circle wants to find out or change."), NO_CASE_DATA
        ),
        rows=3,
    )
    neighbourhoods = NeighbourhoodChoice(
        label=_("Neighbourhoods"),
        queryset=Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one neighbourhood.")},
    )
    starts_on = _date(_("Start"), validators.PLANNED)
    ends_on = _date(_("Planned end"), validators.PLANNED)


class ColleagueForm(forms.Form):
    account = ColleagueChoice(
        label=_("Colleague"),
        queryset=User.objects.none(),
        error_messages={"required": _("Choose the colleague to add.")},
    )
    support_team = forms.BooleanField(
        label=_("In the support team (marks learning moments, keeps the notes)"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["account"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = colleagues()


OUTSIDE_KINDS = [
    (kind.value, kind.label)
    for kind in (Member.Kind.RESIDENT, Member.Kind.ORGANISATION, Member.Kind.BUSINESS)
]


class InviteForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        error_messages={"required": _("Fill in the first name.")},
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        error_messages={"required": _("Fill in the last name.")},
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("Someone without an account gets a link by e-mail to choose a password."),
        error_messages={
            "required": _("Fill in the e-mail address."),
            "invalid": _("Write the e-mail address as name@example.nl."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Takes part as"),
        choices=OUTSIDE_KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how this person takes part.")},
    )
    speaks_for = _line(
        _("On behalf of"),
        required=False,
        help_text=_("The organisation or business, for example “Bibliotheek Lindenhoven”."),
    )
    support_team = forms.BooleanField(
        label=_("In the support team (marks learning moments, keeps the notes)"),
        required=False,
    )


class CircleMeetingForm(forms.Form):
    held_on = _date(_("Date"), validators.PLANNED)
    place = _line(_("Place"), required=False, help_text=_("For example “Bibliotheek De Linde”."))
    agenda = _text(_("Agenda"), rows=4)
    notes = _text(_("Notes"), required=False, max_length=10000, rows=8)


class MomentForm(forms.Form):
    learnt = _text(_("What was learnt"), max_length=2000, rows=4)
    noted_on = _date(_("Date"), validators.HAPPENED)
    meeting = MeetingChoice(
        label=_("At the meeting"), queryset=Meeting.objects.none(), required=False
    )

    def __init__(self, *args: Any, circle: Circle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = circle.meetings.order_by("-held_on")


class CircleActionForm(forms.Form):
    what = _line(_("What"), max_length=300)
    owner = forms.ModelChoiceField(
        label=_("Who"),
        queryset=Member.objects.none(),
        error_messages={"required": _("Choose who does it.")},
    )
    due_on = _date(_("By when"), validators.PLANNED)

    def __init__(self, *args: Any, circle: Circle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = circle.members.select_related("user").order_by(
            "user__first_name", "user__last_name"
        )


class DocumentForm(forms.Form):
    title = _line(_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("A PDF, a photo or an office document. Or give a link below."),
    )
    link = forms.URLField(
        assume_scheme="https",
        label=_("Link"),
        required=False,
        max_length=500,
        validators=[validators.validate_web_link],
        help_text=_("An address on the web, starting with https://."),
        error_messages={"invalid": _("Write the link as https://example.nl/page.")},
    )

    def clean_file(self) -> Examined | None:
        upload: UploadedFile | None = self.cleaned_data.get("file")
        return examine(upload) if upload else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and bool(data.get("file")) == bool(data.get("link")):
            raise forms.ValidationError(_("Add either a file or a link, not both and not neither."))
        return data


class SummaryForm(forms.Form):
    learnt = _text(
        _("What was learnt"),
        help_text=format_lazy(
            "{} {}", _("Shown on a public page. Name no residents."), NO_CASE_DATA
        ),
        rows=6,
    )
    happened = _text(
        _("What happened"),
        help_text=format_lazy(
            "{} {}", _("Shown on a public page. Name no residents."), NO_CASE_DATA
        ),
        rows=6,
    )
