"""The shape in which each domain app hands over what it holds about one resident, for
the resident's download of their own data (AVG art. 15, `privacy/export.py`).

A domain's query returns `Section`s: a title, and records made of fields that carry a
stable key (for the JSON), a label in the site's language (for the PDF) and a value that
JSON can hold. `model_record` builds a record from model fields with their own labels and
the display text of their choices, so that the export reads like the pages do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.utils import timezone
from django.utils.encoding import force_str


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    value: Any


Record = list[Field]


@dataclass
class Section:
    key: str
    title: str
    records: list[Record] = field(default_factory=list)
    # What is left out of this section and why (sensitive notes, the workers' own notes).
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "note": self.note,
            "records": [
                [{"key": f.key, "label": f.label, "value": f.value} for f in record]
                for record in self.records
            ],
        }


def plain(value: Any) -> Any:
    """A value JSON holds: dates and moments as ISO text (moments in Amsterdam time),
    amounts as text, related objects by their name."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return force_str(value)


def model_record(obj: Model, names: list[str], **extra: tuple[str, Any]) -> Record:
    """A record of `obj`'s fields `names` (with the display text of choices), followed by
    `extra` fields given as key=(label, value)."""
    record: Record = []
    for name in names:
        model_field = obj._meta.get_field(name)
        label = force_str(getattr(model_field, "verbose_name", name))
        if getattr(model_field, "choices", None):
            value: Any = getattr(obj, f"get_{name}_display")()
        else:
            value = getattr(obj, name)
        record.append(Field(name, label, plain(value)))
    for key, (label, value) in extra.items():
        record.append(Field(key, force_str(label), plain(value)))
    return record
