"""The neighbourhood report in the browser: the policy advisor opens it on a phone; the
page passes the accessibility scan, hides small figures and does not scroll sideways (the
wide tables scroll inside their own region)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.test_casework import no_sideways_scroll
from tests.factories import PASSWORD
from tests.outcomes.helpers import shipped_instruments_load
from tests.outcomes.test_report import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_policy_advisor_reads_the_report_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    shipped_instruments_load()
    make_world(personas)
    login(phone_page, live_server, "beleid", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(f"{live_server.url}/huishoudens/rapportage/")
    assert phone_page.locator("table").count() == 4
    reach = phone_page.locator("#reach-table")
    assert reach.locator("tbody tr").first.locator("td").first.inner_text() == "<5"
    assert_accessible(phone_page)
    assert no_sideways_scroll(phone_page)
