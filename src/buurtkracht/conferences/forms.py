"""The forms of case conferences and precedents (docs/conferences.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from buurtkracht.accounts.models import User
from buurtkracht.casework.models import Goal, LifeDomain, Step
from buurtkracht.casework.services.appointments import local_moment
from buurtkracht.conferences.models import Conference
from buurtkracht.core import validators
from buurtkracht.core.forms import day_field, time_field
from buurtkracht.core.models import Team
from buurtkracht.households.models import Household

# A conference is planned ahead or recorded shortly after (the service holds the exact range).
CONFERENCE_DAY = validators.DateRange(years_back=1, years_ahead=1)


class ParticipantChoice(forms.ModelMultipleChoiceField[User]):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.organisation})" if obj.organisation_id else name


class ConferenceForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        error_messages={"required": _("Choose the team that holds the conference.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of conference"),
        choices=Conference.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of conference.")},
    )
    day = day_field(CONFERENCE_DAY)
    time = time_field()
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        help_text=_("A room, an address, or a link to the online meeting."),
        error_messages={"required": _("Write where the conference meets.")},
    )
    chair = forms.ModelChoiceField(
        label=_("Chair"),
        queryset=User.objects.none(),
        help_text=_("The chair records what is decided. They take part."),
        error_messages={"required": _("Choose who chairs the conference.")},
    )
    participants = ParticipantChoice(
        label=_("Participants"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Team members and outside professionals. They see a case by name only where they "
            "may: otherwise anonymised."
        ),
        error_messages={"required": _("Choose who takes part.")},
    )

    def __init__(
        self,
        *args: Any,
        teams: Any = None,
        people: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if teams is not None:
            self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        if people is not None:
            self.fields["chair"].queryset = people  # type: ignore[attr-defined]
            self.fields["participants"].queryset = people  # type: ignore[attr-defined]

    def starts_at(self) -> dt.datetime | None:
        """The day and time as an aware moment, or None with the error on the form."""
        try:
            return local_moment(self.cleaned_data["day"], self.cleaned_data["time"])
        except ValidationError as error:
            self.add_error("time", error)
            return None


class HouseholdChoice(forms.ModelChoiceField[Household]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.address.street_line)


class CaseForm(forms.Form):
    household = HouseholdChoice(
        label=_("Household"),
        queryset=Household.objects.none(),
        help_text=_("Only the households whose file you may read."),
        error_messages={"required": _("Choose the household to bring to the conference.")},
    )
    anonymised = forms.CharField(
        label=_("Anonymised description"),
        max_length=200,
        help_text=_(
            "What participants without the residents' consent read: no name, address or "
            "date of birth. For example: Casus B: gezin met 3 kinderen, schulden."
        ),
        error_messages={"required": _("Describe the case without name, address or date of birth.")},
    )
    question = forms.CharField(
        label=_("What do we need to decide?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Everyone at the table reads it: no name, address or date of birth."),
        error_messages={"required": _("Write what the conference needs to decide.")},
    )

    def __init__(self, *args: Any, households: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if households is not None:
            self.fields["household"].queryset = households  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    decision = forms.CharField(
        label=_("What the conference decided"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write what the conference decided.")},
    )
    reasons = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Everyone at the table reads the minutes: no name, address or date of birth."),
        error_messages={"required": _("Write why: the reasons the conference weighed.")},
    )


class GoalChoice(forms.ModelChoiceField[Goal]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.text)


class CaseActionForm(forms.Form):
    """Who does what by when: an action for the household's plan."""

    description = forms.CharField(
        label=_("What will be done"),
        max_length=300,
        error_messages={"required": _("Write what will be done.")},
    )
    owner = forms.CharField(
        label=_("Who does it"),
        max_length=200,
        error_messages={
            "required": _("Write who does it: the resident, someone they know, or an organisation.")
        },
    )
    step = forms.TypedChoiceField(
        label=_("Step"),
        choices=Step.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the step.")},
    )
    due_date = day_field(validators.PLANNED, label=_("By when"), required=False)
    goal = GoalChoice(
        label=_("Under which goal of the plan"),
        queryset=Goal.objects.none(),
        required=False,
        empty_label=_("A new goal (write it below)"),
    )
    goal_text = forms.CharField(
        label=_("New goal, in the resident's words"), max_length=500, required=False
    )
    domain = forms.ChoiceField(
        label=_("Life domain of the new goal"),
        choices=[("", "—"), *LifeDomain.choices],
        required=False,
    )

    def __init__(self, *args: Any, goals: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if goals is not None:
            self.fields["goal"].queryset = goals  # type: ignore[attr-defined]


class PrecedentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        help_text=_(
            "A few words colleagues will recognise, for example: huurachterstand en ontruiming."
        ),
        error_messages={"required": _("Give the precedent a short title.")},
    )
    situation = forms.CharField(
        label=_("Situation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Without name, address or date of birth."),
        error_messages={"required": _("Describe the situation.")},
    )
    consideration = forms.CharField(
        label=_("Consideration"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write what the conference weighed.")},
    )
    decision = forms.CharField(
        label=_("Decision"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write what was decided.")},
    )
    principle = forms.CharField(
        label=_("Principle it rests on"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write the principle the decision rests on.")},
    )
    domain = forms.ChoiceField(
        label=_("Life domain"),
        choices=LifeDomain.choices,
        error_messages={"required": _("Choose the life domain it is about.")},
    )


class PrecedentSearchForm(forms.Form):
    q = forms.CharField(label=_("Word"), max_length=100, required=False)
    domain = forms.ChoiceField(
        label=_("Life domain"),
        choices=[("", _("All life domains")), *LifeDomain.choices],
        required=False,
    )
