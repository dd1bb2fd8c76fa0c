"""The functional administrator takes in a register extract on a phone: the upload, the
background job's page, and what changed — with the accessibility scan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from buurtkracht.households.models import RegisterExtract
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.test_casework import no_sideways_scroll
from tests.factories import PASSWORD
from tests.households import test_register_import
from tests.households.test_register_import import family

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("addresses"),
]
addresses = test_register_import.addresses  # the doors the family lives at


def test_a_register_extract_taken_in_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas, tmp_path: Path
) -> None:
    extract = tmp_path / "brp-uittreksel.jsonl"
    extract.write_text("\n".join(json.dumps(r) for r in family()) + "\n{kapot\n")
    page = phone_page
    login(page, live_server, "beheer", PASSWORD)
    page.wait_for_url(f"{live_server.url}/**")
    page.goto(f"{live_server.url}/huishoudens/register/")
    expect(page.get_by_role("heading", name="Uittreksels basisregistratie")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Uittreksel inlezen").click()  # nothing chosen
    expect(page.locator(".bk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Uittreksel uit de basisregistratie (JSON Lines)").set_input_files(extract)
    page.get_by_role("button", name="Uittreksel inlezen").click()
    expect(page.get_by_role("link", name="Bekijk het resultaat")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Bekijk het resultaat").click()
    expect(page.get_by_role("heading", name="Wat veranderde")).to_be_visible()
    assert_accessible(page)
    assert no_sideways_scroll(page)
    assert "Regel 6" in page.get_by_role("region", name="Apart gezette regels").inner_text()
    assert RegisterExtract.objects.get().counts["new"] == 5
