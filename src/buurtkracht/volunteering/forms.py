"""Forms for volunteer requests: short, and quick on a phone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtkracht.accounts.models import User
from buurtkracht.core import validators
from buurtkracht.core.forms import DATE_FORMATS
from buurtkracht.households.models import Household
from buurtkracht.volunteering.models import (
    ASKED_MAX_LENGTH,
    VISIT_NOTE_MAX_LENGTH,
    VolunteerRequest,
)
from buurtkracht.volunteering.queries import volunteers


class VolunteerRequestForm(forms.Form):
    person = forms.ChoiceField(
        label=_("For whom"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the resident.")},
    )
    kind = forms.ChoiceField(
        label=_("What kind of help"),
        choices=VolunteerRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of help is asked.")},
    )
    asked = forms.CharField(
        label=_("What is asked"),
        max_length=ASKED_MAX_LENGTH,
        help_text=_(
            "The volunteer reads this. Write it with the resident: what help, how often, what "
            "matters to them. No diagnoses, no debts, no surname."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write in a few words what help is asked, for the volunteer.")
        },
    )
    share_address = forms.BooleanField(
        label=_("The resident agrees that the volunteer may know the street address"),
        required=False,
    )
    share_phone = forms.BooleanField(
        label=_("The resident agrees that the volunteer may know the phone number"),
        required=False,
    )

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = household.current_memberships().select_related("person")
        person_field = self.fields["person"]
        assert isinstance(person_field, forms.ChoiceField)
        choices = [(str(m.person_id), m.person.full_name) for m in members]
        person_field.choices = choices
        if len(choices) == 1:
            person_field.initial = choices[0][0]


class VolunteerChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return str(obj.get_full_name() or obj.username)


class MatchForm(forms.Form):
    volunteer = VolunteerChoiceField(
        label=_("Volunteer"),
        queryset=User.objects.none(),
        empty_label=_("Choose a volunteer"),
        error_messages={"required": _("Choose a volunteer.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["volunteer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = volunteers()


class EndForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does it end"),
        max_length=300,
        error_messages={"required": _("Write in a few words why it ends.")},
    )


class VisitForm(forms.Form):
    date = forms.DateField(
        validators=[validators.HAPPENED],
        label=_("Date"),
        input_formats=DATE_FORMATS,
        help_text=_("For example 22-11-2026."),
        error_messages={"required": _("Fill in the date of the visit.")},
    )
    minutes = forms.IntegerField(
        label=_("How many minutes"),
        min_value=1,
        max_value=12 * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": _("Fill in how many minutes the visit took.")},
    )
    note = forms.CharField(
        label=_("In one line"),
        required=False,
        max_length=VISIT_NOTE_MAX_LENGTH,
        help_text=_("What you did together. Keep it short; the worker may read it."),
    )
    worker_should_know = forms.BooleanField(
        label=_("Is there anything the worker should know?"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate().strftime("%d-%m-%Y")})
        super().__init__(*args, **kwargs)
