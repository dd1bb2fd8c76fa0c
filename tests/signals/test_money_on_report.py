"""The signal report shows amounts in one format: the arrears and the priority reason
both read "€ 2.072,40", never "€ 2072.40" next to "€ 1.380,00"."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from buurtkracht.signals.models import Report
from buurtkracht.signals.services import R_AMOUNT_BEFORE, reason_text
from tests.conftest import Personas
from tests.signals.test_pipeline import HEADER, _deliver, _resident, _row

pytestmark = pytest.mark.django_db


def test_the_report_shows_arrears_and_reason_in_dutch_money(personas: Personas) -> None:
    person = _resident(personas)
    client = Client()
    client.force_login(personas.partner_liaison)
    _deliver(client, HEADER + _row("W-1", person, personas.household.address, amount="2072,4"))
    report = Report.objects.get()
    client.force_login(personas.worker)
    page = client.get(reverse("signals:report", args=[report.pk])).content.decode()
    assert "Achterstand € 2.072,40" in page
    assert "Achterstand van € 2.072,40 (minstens € 1.000,00)" in page  # the priority reason
    assert "2072.40" not in page


def test_a_reason_stored_before_still_reads_well() -> None:
    stored = {"text": R_AMOUNT_BEFORE, "args": {"amount": "2072.40", "threshold": "1000"}}
    assert reason_text(stored) == "achterstand van € 2.072,40 (minstens € 1.000,00)"
