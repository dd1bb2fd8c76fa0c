"""The forms of the appointments on a household file and of the worker's calendar feed
(docs/appointments.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from buurtkracht.casework.models import Appointment
from buurtkracht.casework.services.appointments import local_moment
from buurtkracht.core import validators
from buurtkracht.core.forms import (
    TIME_FORMATS,
    TIME_INVALID,
    VersionedForm,
    day_field,
    time_field,
)

TIME_ERRORS = {"invalid": TIME_INVALID}


class AppointmentForm(VersionedForm):
    """Plan or change an appointment, on a phone: the kind, the day and time, where and
    who goes. The day and time are wall-clock time in Amsterdam; `moments()` turns them
    into aware moments (a time the clocks skip is refused there)."""

    kind = forms.ChoiceField(
        label=_("What kind of appointment"),
        choices=Appointment.Kind.choices,
        initial=Appointment.Kind.HOME_VISIT,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of appointment it is.")},
    )
    date = day_field(validators.PLANNED)
    start = time_field(label=pgettext_lazy("appointment time", "From"))
    end = forms.TimeField(
        label=pgettext_lazy("appointment time", "Until"),
        input_formats=TIME_FORMATS,
        required=False,
        help_text=_("Empty: one hour."),
        error_messages=TIME_ERRORS,
    )
    place = forms.ChoiceField(
        label=_("Where"),
        choices=Appointment.Place.choices,
        initial=Appointment.Place.HOME,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where the appointment is.")},
    )
    place_text = forms.CharField(
        label=_("Address or place"),
        max_length=200,
        required=False,
        help_text=_("At the office or somewhere else: which address or place."),
    )
    workers = forms.TypedMultipleChoiceField(
        label=_("Who goes"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one worker who goes.")},
    )
    with_others = forms.CharField(
        label=_("Also there"),
        max_length=200,
        required=False,
        help_text=_("Someone from the network or another organisation, for example “sister Els”."),
    )
    note = forms.CharField(
        label=_("Note for the workers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, workers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workers"].choices = workers  # type: ignore[attr-defined]

    @classmethod
    def values_from(cls, record: Any) -> dict[str, Any]:
        starts = timezone.localtime(record.starts_at)
        ends = timezone.localtime(record.ends_at)
        return {
            "kind": record.kind,
            "date": starts.date(),
            "start": starts.time().replace(second=0, microsecond=0, fold=0),
            "end": ends.time().replace(second=0, microsecond=0, fold=0),
            "place": record.place,
            "place_text": record.place_text,
            "workers": sorted(worker.pk for worker in record.workers.all()),
            "with_others": record.with_others,
            "note": record.note,
        }

    def moments(self) -> tuple[dt.datetime, dt.datetime | None] | None:
        """The start and end as aware moments, or None with the error on the form. An end
        earlier on the clock than the start is kept as it is: the service refuses it."""
        data = self.cleaned_data
        try:
            starts_at = local_moment(data["date"], data["start"])
        except ValidationError as error:
            self.add_error("start", error)
            return None
        if data.get("end") is None:
            return starts_at, None
        try:
            ends_at = local_moment(data["date"], data["end"])
        except ValidationError as error:
            self.add_error("end", error)
            return None
        return starts_at, ends_at


class AppointmentCancelForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why does it not go ahead?"),
        max_length=500,
        help_text=_("For example: the resident is ill, we plan again next week."),
        error_messages={
            "required": _("Write why the appointment does not go ahead, for example: ill.")
        },
    )

    @classmethod
    def values_from(cls, record: Any) -> dict[str, Any]:
        return {}


class CalendarFeedNamesForm(forms.Form):
    show_names = forms.BooleanField(
        label=_("Show residents' names and addresses in my calendar"),
        required=False,
        help_text=_(
            "Only if your phone's calendar is yours alone and locked. Every time the "
            "calendar fetches names, it is written in the access log."
        ),
    )
