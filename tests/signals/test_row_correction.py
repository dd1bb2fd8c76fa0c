"""A row set aside and corrected on screen is part of its own delivery (issue 13: "a
corrected delivery still says 'Apart gezet 1' and shows as a separate delivery")."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from buurtkracht.audit.models import Action, AuditEvent
from buurtkracht.signals.models import Delivery, RejectedRow, Signal
from buurtkracht.signals.services import delivery_receive_rows, delivery_row_correct
from tests.conftest import Personas
from tests.signals.helpers import resident_of, signal_row

pytestmark = pytest.mark.django_db


def _delivery_with_a_badsignal_row(personas: Personas) -> tuple[Delivery, RejectedRow]:
    """One good row and one with a postcode that is not Dutch."""
    organisation = personas.partner_liaison.organisation
    assert organisation is not None
    delivery = delivery_receive_rows(
        organisation=organisation,
        rows=[signal_row(personas, "C-1"), signal_row(personas, "C-2", postcode="1234")],
        channel=Delivery.Channel.UPLOAD,
        user=personas.partner_liaison,
    ).delivery
    assert (delivery.rows_valid, delivery.rows_rejected) == (1, 1)
    return delivery, RejectedRow.objects.get()


def _corrected(row: RejectedRow, personas: Personas) -> dict[str, Any]:
    return {**row.raw, "postcode": personas.household.address.postcode}


def _form_data(row: RejectedRow, values: dict[str, Any]) -> dict[str, Any]:
    return {f"row{row.pk}-{k}": v for k, v in values.items()}


def _target_exists(event: AuditEvent) -> bool:
    app_label, model_name = event.object_type.split(".")
    model = apps.get_model(app_label, model_name)
    return model.objects.filter(pk=event.object_id).exists()


# The service ---------------------------------------------------------------------------------


def test_a_corrected_row_joins_its_own_delivery(personas: Personas) -> None:
    delivery, row = _delivery_with_a_badsignal_row(personas)
    result = delivery_row_correct(
        row=row, values=_corrected(row, personas), user=personas.partner_liaison
    )
    assert result.status == "taken_in"
    assert Delivery.objects.count() == 1
    delivery.refresh_from_db()
    assert (delivery.rows_valid, delivery.rows_rejected, delivery.rows_corrected) == (2, 0, 1)
    assert delivery.rows_total == 2
    signal = Signal.objects.get(partner_reference="C-2")
    assert signal.delivery == delivery
    assert signal.person == resident_of(personas)
    # The row is kept for the record, marked as corrected, with the values taken in.
    row.refresh_from_db()
    assert row.resolved_at is not None
    assert row.resolution == RejectedRow.Resolution.TAKEN_IN
    assert row.raw["postcode"] == personas.household.address.postcode


def test_the_correction_is_logged_against_rows_that_exist(personas: Personas) -> None:
    _delivery, row = _delivery_with_a_badsignal_row(personas)
    delivery_row_correct(row=row, values=_corrected(row, personas), user=personas.partner_liaison)
    events = list(AuditEvent.objects.all())
    assert events and all(_target_exists(e) for e in events if e.object_id)
    event = AuditEvent.objects.latest("sequence")
    assert event.details["corrected_row"] == row.pk
    assert RejectedRow.objects.filter(pk=event.details["corrected_row"]).exists()
    assert resident_of(personas).pk in event.subject_ids
    assert event.actor_id == personas.partner_liaison.pk


def test_a_second_submit_of_the_same_correction_imports_nothing_twice(
    personas: Personas,
) -> None:
    delivery, row = _delivery_with_a_badsignal_row(personas)
    values = _corrected(row, personas)
    first = delivery_row_correct(row=row, values=values, user=personas.partner_liaison)
    # The second request still holds the row as it was before the first one saved.
    stale = RejectedRow.objects.get(pk=row.pk)
    stale.resolved_at = None
    second = delivery_row_correct(row=stale, values=values, user=personas.partner_liaison)
    assert (first.status, second.status) == ("taken_in", "done_before")
    assert Signal.objects.filter(partner_reference="C-2").count() == 1
    delivery.refresh_from_db()
    assert (delivery.rows_valid, delivery.rows_rejected, delivery.rows_corrected) == (2, 0, 1)


def test_a_correction_still_wrong_keeps_the_values_and_says_per_field_what_is_wrong(
    personas: Personas,
) -> None:
    delivery, row = _delivery_with_a_badsignal_row(personas)
    typed = {**row.raw, "postcode": "12AB", "surname": "", "town": "Nieuwe plaats"}
    result = delivery_row_correct(row=row, values=typed, user=personas.partner_liaison)
    assert result.status == "still_wrong"
    assert {e.field for e in result.errors} >= {"postcode", "surname"}
    row.refresh_from_db()
    assert row.resolved_at is None
    assert (row.raw["postcode"], row.raw["town"]) == ("12AB", "Nieuwe plaats")
    assert {e["field"] for e in row.errors} >= {"postcode", "surname"}
    delivery.refresh_from_db()
    assert (delivery.rows_valid, delivery.rows_rejected, delivery.rows_corrected) == (1, 1, 0)
    assert Delivery.objects.count() == 1
    event = AuditEvent.objects.latest("sequence")
    assert event.action == Action.UPDATE and _target_exists(event)


def test_a_corrected_row_whose_reference_came_in_meanwhile_counts_as_delivered_before(
    personas: Personas,
) -> None:
    delivery, row = _delivery_with_a_badsignal_row(personas)
    organisation = personas.partner_liaison.organisation
    assert organisation is not None
    delivery_receive_rows(
        organisation=organisation, rows=[signal_row(personas, "C-2")], channel="api"
    )
    result = delivery_row_correct(row=row, values=_corrected(row, personas))
    assert result.status == "delivered_before"
    assert Signal.objects.filter(partner_reference="C-2").count() == 1
    delivery.refresh_from_db()
    assert (delivery.rows_valid, delivery.rows_duplicate) == (1, 1)
    assert (delivery.rows_rejected, delivery.rows_corrected) == (0, 1)


# The pages -----------------------------------------------------------------------------------


def test_the_delivery_list_and_page_show_one_delivery_with_the_row_corrected(
    personas: Personas,
) -> None:
    delivery, row = _delivery_with_a_badsignal_row(personas)
    client = Client()
    client.force_login(personas.partner_liaison)
    url = reverse("signals:row-correct", args=[delivery.pk, row.pk])
    data = _form_data(row, _corrected(row, personas))
    response = client.post(url, data)
    assert response.status_code == 302
    # A double click: the same form once more.
    again = client.post(url, data, follow=True)
    assert again.status_code == 200
    assert "al verbeterd" in again.content.decode()
    assert Delivery.objects.count() == 1
    assert Signal.objects.filter(partner_reference="C-2").count() == 1

    listing = client.get(reverse("signals:deliver")).content.decode()
    assert listing.count(reverse("signals:delivery", args=[delivery.pk])) == 1
    assert "2 opgenomen, 0 apart gezet, 1 verbeterd" in listing

    content = client.get(reverse("signals:delivery", args=[delivery.pk])).content.decode()
    assert "<dt>Apart gezet</dt><dd>0</dd>" in content
    assert "<dt>Verbeterd</dt><dd>1</dd>" in content
    assert "regel om te verbeteren" not in content
    assert "C-2" in content  # the corrected row, kept for the record


def test_a_still_wrong_correction_on_the_page_keeps_what_was_typed(personas: Personas) -> None:
    delivery, row = _delivery_with_a_badsignal_row(personas)
    client = Client()
    client.force_login(personas.partner_liaison)
    typed = {**row.raw, "postcode": "12AB", "town": "Nieuwe plaats"}
    response = client.post(
        reverse("signals:row-correct", args=[delivery.pk, row.pk]),
        _form_data(row, typed),
        follow=True,
    )
    content = response.content.decode()
    assert "klopt nog niet" in content
    assert 'value="12AB"' in content and 'value="Nieuwe plaats"' in content
    form = dict(response.context["rows"])[RejectedRow.objects.get()]
    assert "postcode" in form.errors
    delivery.refresh_from_db()
    assert (delivery.rows_rejected, delivery.rows_corrected) == (1, 0)
