"""Money on a phone: the resident budgets (with their export links) and a signal report
show amounts in the one Dutch format, and pass the accessibility scan."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from buurtkracht.signals.models import Report
from tests import factories
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD
from tests.initiatives.helpers import budget, community_worker, propose
from tests.signals.test_pipeline import HEADER, _deliver, _resident, _row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_budgets_and_initiatives_show_dutch_money(phone_page: Any, live_server: Any) -> None:
    district = factories.DistrictFactory.create(name="Oost")
    budget(district, amount="12345.60")
    hood = factories.NeighbourhoodFactory.create(parent=district, name="Bomenbuurt")
    propose(hood, cost="2072,40")
    community_worker()
    login(phone_page, live_server, "opbouwwerker", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(f"{live_server.url}/initiatieven/budgetten/")
    assert "€ 12.345,60" in phone_page.content()
    assert phone_page.get_by_role("link", name="Exporteren als CSV").count() == 1
    assert_accessible(phone_page)
    phone_page.goto(f"{live_server.url}/initiatieven/")
    assert "€ 2.072,40" in phone_page.content()
    assert_accessible(phone_page)


def test_a_signal_report_shows_dutch_money(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    client = Client()
    client.force_login(personas.partner_liaison)
    person = _resident(personas)
    _deliver(client, HEADER + _row("W-1", person, personas.household.address, amount="2072,4"))
    report = Report.objects.get()
    login(phone_page, live_server, "wijkwerker", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(f"{live_server.url}/signalen/meldingen/{report.pk}/")
    content = phone_page.content()
    assert "Achterstand € 2.072,40" in content
    assert "Achterstand van € 2.072,40 (minstens € 1.000,00)" in content
    assert_accessible(phone_page)
