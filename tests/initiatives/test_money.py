"""Money on the initiative pages in the one Dutch format, and the budgets export in the
documented export format (docs/formats.md)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from buurtkracht.core.exports import XLSX_MONEY_FORMAT
from tests import factories
from tests.conftest import Personas
from tests.initiatives.helpers import budget, community_worker, propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def hood() -> Any:
    district = factories.DistrictFactory.create(name="Oost")
    budget(district, amount="12345.60")
    return factories.NeighbourhoodFactory.create(parent=district, name="Bomenbuurt")


def test_pages_show_money_the_dutch_way(client: Client, hood: Any) -> None:
    propose(hood, cost="2072,40")
    client.force_login(community_worker())
    listing = client.get("/initiatieven/").content.decode()
    assert "€ 2.072,40" in listing
    assert "2072" not in listing.replace("2.072", "")
    budgets = client.get("/initiatieven/budgetten/").content.decode()
    assert budgets.count("€ 12.345,60") == 2  # the amount, and what is left
    assert "€ 0,00" in budgets  # nothing approved or paid yet
    client.cookies["django_language"] = "en"
    english = client.get("/initiatieven/budgetten/").content.decode()
    assert "€12,345.60" in english


def test_the_budgets_export_has_the_documented_format(client: Client, hood: Any) -> None:
    client.force_login(community_worker())
    response = client.get("/initiatieven/budgetten/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, line = rows
    assert header[4:8] == ["Bedrag (EUR)", "Goedgekeurd (EUR)", "Betaald (EUR)", "Over (EUR)"]
    assert line[4:8] == ["12345.60", "0.00", "0.00", "12345.60"]

    response = client.get("/initiatieven/budgetten/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["E1"].value == "Bedrag (EUR)"
    assert sheet["E2"].value == pytest.approx(12345.60)
    assert sheet["E2"].number_format == XLSX_MONEY_FORMAT
    assert client.get("/initiatieven/budgetten/export.pdf").status_code == 404


def test_only_staff_of_initiatives_export_budgets(personas: Personas, hood: Any) -> None:
    anonymous = Client().get("/initiatieven/budgetten/export.csv")
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    for name, user in personas.all().items():
        client = Client()
        client.force_login(user)
        expected = 200 if name == "policy_advisor" else 404
        assert client.get("/initiatieven/budgetten/export.csv").status_code == expected, name


def test_beheer_lists_budgets_in_the_same_money_format(admin_client: Client, hood: Any) -> None:
    page = admin_client.get("/beheer/initiatives/budget/").content.decode()
    assert "€ 12.345,60" in page
