from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtkracht.audit.models import Action


class LogFilterForm(forms.Form):
    resident = forms.CharField(label=_("Resident's surname"), required=False, max_length=100)
    worker = forms.CharField(label=_("User name of the worker"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("From"), required=False, input_formats=["%d-%m-%Y", "%Y-%m-%d"],
        help_text=_("For example 01-11-2026."),
    )  # fmt: skip
    date_to = forms.DateField(
        label=_("Until"), required=False, input_formats=["%d-%m-%Y", "%Y-%m-%d"]
    )
    action = forms.ChoiceField(
        label=_("Event"), required=False, choices=[("", _("All events")), *Action.choices]
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date comes before the start date. Swap them."))
        return data
