"""core.versioning and core.forms.VersionedForm: a stale copy never wins, and the form
says what changed in words the user knows from the form."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms

from buurtkracht.core.forms import VersionedForm
from buurtkracht.core.versioning import ChangedMeanwhile, version_claim
from buurtkracht.socialmap.models import Resource
from tests.socialmap.helpers import community_worker, entry

pytestmark = pytest.mark.django_db


def test_the_claim_is_conditional_and_a_stale_copy_cannot_lower_the_version() -> None:
    resource = entry(community_worker())
    assert resource.version == 1
    stale = Resource.objects.get(pk=resource.pk)
    version_claim(resource, 1)
    resource.save()
    assert Resource.objects.get(pk=resource.pk).version == 2
    with pytest.raises(ChangedMeanwhile):
        version_claim(stale, 1)
    # A full save of the stale copy writes its fields, never its old version.
    stale.cost = "Gratis"
    stale.save()
    fresh = Resource.objects.get(pk=resource.pk)
    assert (fresh.version, fresh.cost) == (2, "Gratis")
    version_claim(stale, None)  # a write that does not come from a form
    assert stale.version == 3 == Resource.objects.get(pk=resource.pk).version


class _Form(VersionedForm):
    name = forms.CharField(label="Naam")
    kind = forms.ChoiceField(label="Soort", choices=[("a", "Buur"), ("b", "Vriend")])
    on = forms.DateField(label="Datum", required=False)
    urgent = forms.BooleanField(label="Dringend", required=False)

    @classmethod
    def values_from(cls, record: Any) -> dict[str, Any]:
        return dict(record.values)


@dataclass
class _Record:
    values: dict[str, Any]
    version: int


def test_the_message_names_each_change_in_the_forms_words() -> None:
    seen = {"name": "Els", "kind": "a", "on": dt.date(2026, 3, 1), "urgent": False}
    opened = _Form.opened(seen, 4)
    form = _Form(
        {"name": "Els", "kind": "a", "version": "4", "seen": opened["seen"], "urgent": "on"}
    )
    assert form.is_valid() and form.expected_version() == 4
    now = {"name": "Els", "kind": "b", "on": dt.date(2026, 3, 2), "urgent": True}
    form.changed_meanwhile(_Record(now, 5))
    message = form.non_field_errors()[0]
    assert "Soort: “Buur” werd “Vriend”" in message
    assert "Datum: “01-03-2026” werd “02-03-2026”" in message
    assert "Dringend: “nee” werd “ja”" in message
    assert "Naam" not in message  # unchanged
    assert form["version"].value() == "5" and form["urgent"].value() is True
    assert form["seen"].value() == _Form.opened(now, 5)["seen"]


def test_a_page_without_what_was_seen_still_gets_the_plain_message() -> None:
    form = _Form({"name": "Els", "kind": "a", "version": "1", "seen": "not json"})
    assert form.is_valid()
    form.changed_meanwhile(_Record({"name": "Els", "kind": "b"}, 2))
    assert "Iemand anders heeft dit gewijzigd" in form.non_field_errors()[0]


def test_a_form_shows_the_records_fields_of_its_own_names_by_default() -> None:
    class _Plain(VersionedForm):
        name = forms.CharField(label="Naam")
        note = forms.CharField(label="Notitie", required=False)

    @dataclass
    class _Row:
        name: str
        secret: str
        version: int = 4

    assert _Plain.values_from(_Row(name="Fatma", secret="nooit")) == {"name": "Fatma"}
    form = _Plain.for_record(None, _Row(name="Fatma", secret="nooit"))
    assert form.initial["name"] == "Fatma" and form.initial["version"] == 4
