"""Form helpers every app shares: the date formats people type, and a service's errors
put back on the form next to what the user typed (DESIGN.md: errors are for people)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Self

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Dutch first (31-01-2027), then ISO (2027-01-31, what <input type="date"> sends).
DATE_FORMATS = ["%d-%m-%Y", "%Y-%m-%d"]
# 14:30, 14.30 or 1430.
TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M"]
DATE_INVALID = gettext_lazy("Write the date as day-month-year, for example 31-01-2027.")
TIME_INVALID = gettext_lazy("Write the time as hours and minutes, for example 14:30.")


def day_field(
    validator: Any,
    *,
    label: Any = None,
    required: bool = True,
    help_text: Any = None,
) -> forms.DateField:
    """A day someone types (dd-mm-jjjj), in the range `validator` allows
    (`core.validators.DateRange`), with the same help and errors on every form."""
    return forms.DateField(
        validators=[validator],
        label=label or gettext_lazy("Day"),
        required=required,
        input_formats=DATE_FORMATS,
        help_text=gettext_lazy("For example 31-01-2027.") if help_text is None else help_text,
        error_messages={
            "required": gettext_lazy("Fill in the day, for example 31-01-2027."),
            "invalid": DATE_INVALID,
        },
    )


def time_field(
    *, label: Any = None, required: bool = True, help_text: Any = None
) -> forms.TimeField:
    """A time of day someone types (14:30), with the same help and errors on every form."""
    return forms.TimeField(
        label=label or gettext_lazy("Time"),
        required=required,
        input_formats=TIME_FORMATS,
        help_text=gettext_lazy("For example 14:30.") if help_text is None else help_text,
        error_messages={
            "required": gettext_lazy("Fill in the time, for example 14:30."),
            "invalid": TIME_INVALID,
        },
    )


def errors_to_form(form: forms.Form, error: ValidationError) -> None:
    """Put a service's errors on the form, on the field they name where the form has it,
    so the page shows them next to what the user typed."""
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            for message in messages_:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _plain(value: Any) -> Any:
    """A form value as JSON can carry it, the same whether it came from the record or
    back from the page: a record by its key, a date in ISO, nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return value.pk if isinstance(value.pk, int) else str(value.pk)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple | set) or hasattr(value, "values_list"):
        return [_plain(item) for item in value]
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


class VersionedForm(forms.Form):
    """The edit form of a record two people can change (`core.versioning`).

    It carries the version the user opened and what the fields said then (`seen`). When
    the service refuses with ChangedMeanwhile, `changed_meanwhile` names each field that
    someone else changed, from what to what, keeps everything the user typed, and takes
    the new version: saving again is then a choice made knowing what changed. A form
    says how it shows a record in `values_from`:

        form = TieEditForm.for_record(request.POST or None, tie)
        ...
        except ChangedMeanwhile:
            form.changed_meanwhile(Tie.objects.get(pk=tie.pk))
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    VERSION_FIELDS = ("version", "seen")

    @classmethod
    def values_from(cls, record: Any) -> dict[str, Any]:
        """The record as this form shows it (field name: initial value): by default the
        record's attributes named like the form's fields. A form that shows a record
        through an input object of its service says so by overriding this."""
        return {
            name: getattr(record, name)
            for name in cls.base_fields
            if name not in cls.VERSION_FIELDS and hasattr(record, name)
        }

    @classmethod
    def for_record(cls, data: Any, record: Any, **kwargs: Any) -> Self:
        """The form for `record` as it is now: its values, its version, what is seen.
        A posted form that was opened at an older version is refused at once (clean);
        the service's claim still decides between two saves at the same moment."""
        form = cls(data, initial=cls.opened(cls.values_from(record), record.version), **kwargs)
        form.record = record
        return form

    record: Any = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        opened = cleaned.get("version")
        if self.record is not None and isinstance(opened, int) and opened != self.record.version:
            self.changed_meanwhile(self.record)
        return cleaned

    @classmethod
    def opened(cls, values: dict[str, Any], version: int) -> dict[str, Any]:
        """The initial data for a record with these values at this version."""
        return {**values, "version": version, "seen": cls._seen(values)}

    @classmethod
    def _seen(cls, values: dict[str, Any]) -> str:
        shown = {
            name: _plain(value)
            for name, value in values.items()
            if name in cls.base_fields and name not in cls.VERSION_FIELDS
        }
        return json.dumps(shown, sort_keys=True, default=str)

    def expected_version(self) -> int | None:
        """The version the user opened; None when the page did not say (no check)."""
        value = self.cleaned_data.get("version") if hasattr(self, "cleaned_data") else None
        return value if isinstance(value, int) else None

    def changed_meanwhile(self, record: Any) -> None:
        """Say what someone else changed since the user opened the form (`record`: as it
        is now) and take its new version; what the user typed stays as it is."""
        values, version = self.values_from(record), record.version
        try:
            before = json.loads(str(self.data.get(self.add_prefix("seen")) or "{}"))
        except ValueError:
            before = {}
        now = json.loads(self._seen(values))
        changes = [
            _("%(field)s: “%(before)s” became “%(now)s”")
            % {
                "field": self.fields[name].label or name,
                "before": self._display(name, before[name]),
                "now": self._display(name, now[name]),
            }
            for name in self.fields
            if name in now and name in before and before[name] != now[name]
        ]
        message = _(
            "Someone else changed this while you were working on it. Nothing of yours is "
            "saved yet: what you typed is still below."
        )
        if changes:
            message = _("%(message)s What changed: %(changes)s.") % {
                "message": message,
                "changes": "; ".join(changes),
            }
        message = _("%(message)s Check it and save again to keep your version.") % {
            "message": message
        }
        if isinstance(self.data, QueryDict):
            data = self.data.copy()
        else:
            data = QueryDict(mutable=True)
            for key, value in self.data.items():
                data.setlist(key, value if isinstance(value, list) else [value])
        data[self.add_prefix("version")] = str(version)
        data[self.add_prefix("seen")] = self._seen(values)
        self.data = data
        self.add_error(None, message)

    def _display(self, name: str, value: Any) -> str:
        """A value as the user knows it from the form: the label of a choice, yes or no,
        a date as 31-01-2027; long text shortened."""
        field = self.fields[name]
        items = value if isinstance(value, list) else [value]
        if isinstance(field, forms.BooleanField):
            return str(_("yes") if value else _("no"))
        if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
            found = {str(o.pk): str(o) for o in field.queryset.filter(pk__in=items)}
            shown = [found.get(str(item), str(item)) for item in items]
        elif isinstance(field, forms.ChoiceField):
            choices: Iterable[Any] = field.choices  # type: ignore[assignment]
            labels = {str(key): str(label) for key, label in choices}
            shown = [labels.get(str(item), str(item)) for item in items]
        elif isinstance(field, forms.DateField) and value:
            try:
                shown = [dt.date.fromisoformat(str(value)).strftime("%d-%m-%Y")]
            except ValueError:
                shown = [str(value)]
        else:
            shown = [str(item) for item in items]
        text = ", ".join(item for item in shown if item) or str(_("(empty)"))
        return text if len(text) <= 60 else text[:57] + "…"
