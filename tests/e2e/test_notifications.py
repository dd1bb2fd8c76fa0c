"""The notification list on a phone: the badge in the menu names the unread count, the
list opens an item and marks all read, the settings save a choice, and a resident asks
for a new password. Every page passes the accessibility scan."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from buurtkracht.notifications.kinds import Channel, Kind
from buurtkracht.notifications.models import Notification, Preference
from buurtkracht.notifications.services import notify
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD


def unread(count: int) -> re.Pattern[str]:
    """The menu link's accessible name: "Meldingen, 3 ongelezen" (Chromium puts a space
    before the comma of the visually hidden part; a screen reader reads it the same)."""
    return re.compile(rf"^Meldingen\s*, {count} ongelezen$")


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_notification_list(phone_page: Any, live_server: Any, personas: Personas) -> None:
    personas.make_worker_lead()
    household = personas.household.pk
    for i, kind in enumerate((Kind.HOUSEHOLD_ASSIGNED, Kind.ACTION_DUE, Kind.INTAKE_NEW)):
        notify(
            recipients=[personas.worker],
            kind=kind,
            link=f"/huishoudens/{household}/",
            key=f"e2e:{i}",
            text="Iets te doen",
        )
    page = phone_page
    login(page, live_server, "wijkwerker", PASSWORD)
    badge = page.get_by_role("link", name=unread(3))
    expect(badge).to_be_visible()
    badge.click()
    expect(page.get_by_role("heading", level=1, name="Meldingen")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Openen").first.click()
    expect(page).to_have_url(f"{live_server.url}/huishoudens/{household}/")
    page.goto(f"{live_server.url}/meldingen/")
    expect(page.get_by_role("link", name=unread(2))).to_be_visible()
    page.get_by_role("button", name="Alles gelezen").click()
    expect(page.get_by_text("Alle meldingen zijn gemarkeerd als gelezen.")).to_be_visible()
    expect(page.get_by_role("link", name="Meldingen", exact=True)).to_be_visible()
    assert not Notification.objects.filter(read_at__isnull=True).exists()

    page.get_by_role("link", name="Kies wat u per e-mail krijgt").click()
    expect(page.get_by_role("heading", level=1, name="Instellingen voor meldingen")).to_be_visible()
    assert_accessible(page)
    group = page.get_by_role("group", name="Een actie moet gebeuren")
    group.get_by_label("Helemaal niet").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Uw keuzes zijn bewaard.")).to_be_visible()
    assert Preference.objects.get(user=personas.worker, kind=Kind.ACTION_DUE).channel == (
        Channel.OFF
    )


def test_a_resident_asks_for_a_new_password(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Wachtwoord vergeten? (bewoners)").click()
    expect(page.get_by_role("heading", level=1, name="Wachtwoord vergeten?")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("E-mailadres").fill("bewoner@voorbeeld.example")
    page.get_by_role("button", name="Link sturen").click()
    expect(page.get_by_role("heading", level=1, name="Kijk in uw e-mail")).to_be_visible()
    assert_accessible(page)
