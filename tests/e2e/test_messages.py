"""Messages on a phone (issue 19): the resident writes to their lead worker from their
start page; the worker sees the unread count on Mijn werk and on the file, and reads it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from buurtkracht.casework.message_models import MESSAGE_MAX_LENGTH
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Er kwam weer een brief van de energieleverancier. Wat moet ik doen?"


def test_the_resident_writes_and_the_worker_reads_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    personas.make_worker_lead()
    page = phone_page
    login(page, live_server, "bewoner", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Schrijf de mensen die u helpen").click()
    expect(page.get_by_role("heading", level=1, name="Berichten")).to_be_visible()
    expect(page.get_by_text("Er zijn nog geen berichten.")).to_be_visible()
    assert_accessible(page)

    # Too long: refused with its length, what was typed stays.
    page.get_by_label("Uw bericht").fill("a" * (MESSAGE_MAX_LENGTH + 1))
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_text(f"{MESSAGE_MAX_LENGTH + 1} tekens lang").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Uw bericht").fill(TEXT)
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("status").first).to_contain_text("verstuurd")
    expect(page.get_by_role("list", name="Berichten, het nieuwste onderaan")).to_contain_text(TEXT)
    assert_accessible(page)
    page.get_by_role("button", name="Uitloggen").click()

    login(page, live_server, "wijkwerker", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    waiting = page.get_by_role("region", name="Berichten die wachten")
    expect(waiting).to_contain_text("1 nieuw bericht")
    assert_accessible(page)
    page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/")
    link = page.get_by_role("link", name=re.compile(r"^Berichten\s*, 1 ongelezen$"))
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", level=1, name="Berichten")).to_be_visible()
    thread = page.get_by_role("list", name="Berichten, het nieuwste onderaan")
    expect(thread).to_contain_text(TEXT)
    expect(thread).to_contain_text("nieuw")
    assert_accessible(page)
    # Read now: the count is gone from the file.
    page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/")
    expect(page.get_by_role("link", name="Berichten", exact=True)).to_be_visible()
