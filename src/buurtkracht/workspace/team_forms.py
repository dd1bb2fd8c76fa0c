"""Forms of the team leader's week: recording a worker's absence and moving what falls due
while they are away."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtkracht.accounts.models import Absence, User
from buurtkracht.core import validators
from buurtkracht.core.forms import DATE_FORMATS


def _name(user: User) -> str:
    return user.get_full_name() or user.username


class AbsenceForm(forms.Form):
    """Who is away, from when until when, and (if the leader wants) a category. No free
    text: nothing medical can end up here."""

    worker = forms.TypedChoiceField(
        label=_("Worker who is away"),
        coerce=int,
        error_messages={"required": _("Choose who is away.")},
    )
    start_date = forms.DateField(
        validators=[validators.ABSENCE],
        label=_("First day away"),
        input_formats=DATE_FORMATS,
        help_text=_("For example 14-12-2026."),
        error_messages={
            "required": _("Fill in the first day away, for example 14-12-2026."),
            "invalid": _("Write the date as day-month-year, for example 14-12-2026."),
        },
    )
    end_date = forms.DateField(
        validators=[validators.ABSENCE],
        label=_("Last day away"),
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("Leave empty when it is not known yet."),
        error_messages={
            "invalid": _("Write the date as day-month-year, for example 24-12-2026."),
        },
    )
    reason = forms.ChoiceField(
        label=_("Kind of absence"),
        required=False,
        choices=[("", _("— not said —")), *Absence.Reason.choices],
        help_text=_("Only the kind, never why: no illness or other personal details."),
    )

    def __init__(self, *args: Any, members: list[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [("", _("— choose —"))] + [  # type: ignore[attr-defined]
            (member.pk, _name(member)) for member in members or []
        ]


class CoverForm(forms.Form):
    """Move an absent worker's due items, in the households ticked, to one colleague."""

    households = forms.TypedMultipleChoiceField(
        label=_("Households whose work moves"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one household whose work is to move.")},
    )
    to = forms.TypedChoiceField(
        label=_("To colleague"),
        coerce=int,
        error_messages={"required": _("Choose the colleague who takes it over.")},
    )
    note = forms.CharField(
        label=_("Note for the colleague"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What should they know? It goes with the handover of each household."),
    )

    def __init__(
        self,
        *args: Any,
        households: list[tuple[int, str]] | None = None,
        colleagues: list[User] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["households"].choices = households or []  # type: ignore[attr-defined]
        self.fields["to"].choices = [("", _("— choose —"))] + [  # type: ignore[attr-defined]
            (colleague.pk, _name(colleague)) for colleague in colleagues or []
        ]
