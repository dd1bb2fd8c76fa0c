"""The forms of the dilemma log (docs/dilemmas.md). The texts are checked for obvious
identifiers (a BSN, a postcode, a full date) as the user types them into the form, and
again by the service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtkracht.casework.models import LifeDomain
from buurtkracht.core import validators
from buurtkracht.core.anonymity import validate_anonymous
from buurtkracht.core.forms import VersionedForm, day_field, time_field
from buurtkracht.core.models import Team
from buurtkracht.dilemmas.models import (
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    AgendaItem,
    Dilemma,
    ReflectionMeeting,
    Value,
)

ANONYMOUS_HELP = _(
    "In anonymised words: no name, address, postcode, date of birth or BSN. Describe the "
    "situation, not who it is about."
)


def _team_field(teams: list[Team]) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Team"),
        choices=[(team.pk, team.name) for team in teams],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the team this belongs to.")},
    )


class DilemmaForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        validators=[validate_anonymous],
        help_text=_("For example “Own strength or safety: a father who wants no help”."),
        error_messages={"required": _("Give the dilemma a short title.")},
    )
    description = forms.CharField(
        label=_("The dilemma"),
        max_length=TEXT_MAX_LENGTH,
        validators=[validate_anonymous],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=ANONYMOUS_HELP,
        error_messages={"required": _("Describe the dilemma in a few sentences.")},
    )
    values = forms.MultipleChoiceField(
        label=_("Values at stake"),
        choices=Value.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose at least two: the values that pull in different directions."),
        error_messages={
            "required": _(
                "Choose at least two values that pull in different directions in this dilemma."
            )
        },
    )
    life_domain = forms.ChoiceField(
        label=_("Life domain"),
        choices=[("", _("none in particular")), *LifeDomain.choices],
        required=False,
    )

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(teams) > 1:
            self.fields["team"] = _team_field(teams)
            self.order_fields(["team"])
        self.teams = teams

    def clean_values(self) -> list[str]:
        values: list[str] = self.cleaned_data["values"]
        if len(values) < 2:
            raise forms.ValidationError(
                _("Choose at least two values that pull in different directions in this dilemma.")
            )
        return values

    def chosen_team(self) -> Team:
        if "team" in self.fields:
            chosen = self.cleaned_data["team"]
            return next(team for team in self.teams if team.pk == chosen)
        return self.teams[0]


class MeetingForm(forms.Form):
    held_on = day_field(validators.PLANNED)
    starts_at = time_field()
    facilitator = forms.CharField(
        label=_("Facilitator"),
        max_length=100,
        help_text=_("Who leads the meeting: a colleague or a coach from outside the team."),
        error_messages={"required": _("Fill in who leads the meeting.")},
    )

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(teams) > 1:
            self.fields["team"] = _team_field(teams)
            self.order_fields(["team"])
        self.teams = teams

    def chosen_team(self) -> Team:
        if "team" in self.fields:
            chosen = self.cleaned_data["team"]
            return next(team for team in self.teams if team.pk == chosen)
        return self.teams[0]


class AgendaForm(forms.Form):
    """Put a dilemma on a meeting's agenda, from the meeting (choose the dilemma)."""

    dilemma = forms.TypedChoiceField(
        label=_("Dilemma"),
        coerce=int,
        error_messages={"required": _("Choose a dilemma to put on the agenda.")},
    )

    def __init__(self, *args: Any, dilemmas: list[Dilemma], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dilemma"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose a dilemma")),
            *((d.pk, d.title) for d in dilemmas),
        ]


class ScheduleForm(forms.Form):
    """Put a dilemma on a meeting's agenda, from the dilemma (choose the meeting)."""

    meeting = forms.TypedChoiceField(
        label=_("Reflection meeting"),
        coerce=int,
        error_messages={"required": _("Choose the meeting.")},
    )

    def __init__(self, *args: Any, meetings: list[ReflectionMeeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose a meeting")),
            *(
                (m.pk, f"{m.held_on:%d-%m-%Y} {m.starts_at:%H:%M}, {m.facilitator}")
                for m in meetings
            ),
        ]


class LessonsForm(VersionedForm):
    lessons = forms.CharField(
        label=_("What we learnt"),
        max_length=TEXT_MAX_LENGTH,
        validators=[validate_anonymous],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=ANONYMOUS_HELP,
        error_messages={"required": _("Write in a few sentences what the team learnt.")},
    )
    outcome = forms.ChoiceField(
        label=_("After this meeting the dilemma"),
        choices=AgendaItem.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the dilemma is closed or stays open.")},
    )
