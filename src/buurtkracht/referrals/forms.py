from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtkracht.core import validators
from buurtkracht.core.forms import DATE_FORMATS, VersionedForm
from buurtkracht.core.models import Organisation
from buurtkracht.referrals.models import Referral

TIME_FORMATS = ["%H:%M", "%H.%M"]


class TargetSearchForm(forms.Form):
    """The quick social-map search on the referral page (GET)."""

    q = forms.CharField(
        label=_("Search the social map"),
        required=False,
        max_length=200,
        help_text=_("A few words, for example: schulden, taalcafe."),
    )


class ReferralForm(forms.Form):
    required_elsewhere: tuple[str, ...] = ()

    action = forms.TypedChoiceField(
        label=_("From which action in the plan"),
        coerce=int,
        choices=[],
        error_messages={"required": _("Choose the action in the plan this referral is for.")},
    )
    person = forms.TypedChoiceField(
        label=_("Who is referred"),
        coerce=int,
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who is referred.")},
    )
    resource = forms.UUIDField(required=False, widget=forms.HiddenInput)
    professional_name = forms.CharField(
        label=_("Name of the professional"),
        required=False,
        max_length=150,
        help_text=_("Without a social map entry: the person the resident will meet."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label="—",
    )
    professional_phone = forms.CharField(label=_("Phone number"), required=False, max_length=40)
    professional_email = forms.EmailField(label=_("Email address"), required=False)
    follow_up_on = forms.DateField(
        validators=[validators.PLANNED],
        label=_("Check again on"),
        input_formats=DATE_FORMATS,
        help_text=_("When you will check how it went. For example 31-01-2027."),
        error_messages={
            "required": _("Choose a date to check how it went. For example 31-01-2027.")
        },
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        actions: list[tuple[int, str]],
        people: list[tuple[int, str]],
        with_resource: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "—"), *actions]  # type: ignore[attr-defined]
        self.fields["person"].choices = people  # type: ignore[attr-defined]
        if len(people) == 1 and not self.is_bound:
            self.initial.setdefault("person", people[0][0])
        if not with_resource:
            # Without a social-map entry the professional and their organisation are who
            # the resident is referred to (referral_propose checks): not optional.
            self.required_elsewhere = ("professional_name", "organisation")
        else:
            # The social-map entry has its own contact; a name is optional then.
            self.fields["professional_name"].help_text = _(
                "Optional: the person at this organisation the resident will meet."
            )


class AdvanceForm(VersionedForm):
    """The next step of the hand-over, in a few taps on a phone. Two workers may follow
    the same referral, so it carries the version the page showed."""

    # Needed for some next steps only (referral_advance checks; the help texts say when):
    # their labels do not say "optional".
    required_elsewhere: tuple[str, ...] = ("appointment_on", "follow_up_on", "reason")

    status = forms.ChoiceField(
        label=_("Next step"),
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the next step.")},
    )
    appointment_on = forms.DateField(
        validators=[validators.PLANNED],
        label=_("Date of the appointment"),
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("Needed when an appointment is made. For example 31-01-2027."),
    )
    appointment_time = forms.TimeField(
        label=_("Time of the appointment"),
        required=False,
        input_formats=TIME_FORMATS,
        help_text=_("For example 14:30."),
    )
    follow_up_on = forms.DateField(
        validators=[validators.PLANNED],
        label=_("Check again on"),
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("Needed, unless the help started or the referral ends."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed for not started or dropped out."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, statuses: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Referral.Status.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in statuses]  # type: ignore[attr-defined]

    @classmethod
    def values_from(cls, record: Any) -> dict[str, Any]:
        # The form holds the next step, not the referral's fields: on a conflict the
        # page itself shows the steps recorded meanwhile.
        return {}

    def appointment_at(self) -> dt.datetime | None:
        day = self.cleaned_data.get("appointment_on")
        if day is None:
            return None
        moment = dt.datetime.combine(day, self.cleaned_data.get("appointment_time") or dt.time(9))
        from django.utils import timezone

        return timezone.make_aware(moment)
