from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtkracht.core.forms import VersionedForm
from buurtkracht.signals.columns import CANONICAL_FIELDS, REQUIRED_FIELDS
from buurtkracht.signals.models import ContactAttempt, Report, Signal
from buurtkracht.signals.parsing import MAX_BYTES

# Labels of the documented column set, as the correction form and the docs show them.
FIELD_LABELS: dict[str, Any] = {
    "partner_reference": _("Reference"),
    "partner_kind": _("Kind of partner"),
    "signal_date": _("Signal date"),
    "initials": _("Initials"),
    "given_names": _("Given names"),
    "surname_prefix": _("Surname prefix"),
    "surname": _("Surname"),
    "date_of_birth": _("Date of birth"),
    "street": _("Street"),
    "house_number": _("House number"),
    "house_letter": _("House letter"),
    "addition": _("Addition"),
    "postcode": _("Postcode"),
    "town": _("Town"),
    "amount": _("Amount in arrears"),
    "missed_terms": _("Missed terms"),
    "end_of_supply_date": _("End of supply"),
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File with signals"),
        help_text=_("CSV (comma or semicolon) or Excel (.xlsx), at most 20 MB."),
        error_messages={"required": _("Choose the file to deliver.")},
    )
    upload_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=36)
    # Shown once a file was stopped for columns that are not recognised: the partner
    # chooses to deliver it without them (never done without asking).
    skip_unknown_columns = forms.BooleanField(
        label=_("Deliver the file without the columns that are not recognised"),
        help_text=_("The values in those columns are not taken in."),
        required=False,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB. Split it into smaller files.")
                % {"mb": MAX_BYTES // (1024 * 1024)}
            )
        return upload


class CorrectionForm(forms.Form):
    """One row set aside, with every documented field to correct. The row goes through the
    file's own checks again (`clean_row`), which demand `REQUIRED_FIELDS`."""

    required_elsewhere = REQUIRED_FIELDS
    # The delivery page is itself the list of rows to correct, each with its messages, and
    # a correction returns to its own row (#row-<pk>): no summary on top to repeat them.
    error_summary = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in CANONICAL_FIELDS:
            self.fields[name] = forms.CharField(
                label=FIELD_LABELS.get(name, name), required=False, max_length=200
            )


class AttemptForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("How"),
        choices=ContactAttempt.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you tried to reach them.")},
    )
    reached = forms.TypedChoiceField(
        label=_("Did you reach someone?"),
        choices=[("1", _("yes")), ("0", _("no"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you reached someone.")},
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did it end?"),
        choices=[(v, label) for v, label in Report.Outcome.choices if v != "accepted"],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the outcome.")},
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class OverrideForm(VersionedForm):
    """The signal officer's priority set by hand. Versioned (decision 0008): of two
    officers setting the priority from the same page, the second is told, not lost."""

    priority = forms.IntegerField(
        label=_("Priority"),
        required=False,
        min_value=-20,
        max_value=50,
        help_text=_("Leave empty to go back to the rules."),
    )
    reason = forms.CharField(label=_("Why"), required=False, max_length=300)

    @classmethod
    def values_from(cls, record: Any) -> dict[str, Any]:
        return {"priority": record.priority_override, "reason": record.override_reason}

    def override_values(self) -> dict[str, Any]:
        """The service's arguments (the version travels apart, as expected_version)."""
        return {"priority": self.cleaned_data["priority"], "reason": self.cleaned_data["reason"]}


class DecisionForm(forms.Form):
    person = forms.RegexField(regex=r"^(none|[0-9]{1,18})$", required=True)

    def person_id(self) -> int | None:
        value = self.cleaned_data["person"]
        return None if value == "none" else int(value)


SIGNAL_MATCH_LABELS = dict(Signal.MatchStatus.choices)
