"""The social map on a phone: a volunteer searches for help with debts in the
neighbourhood, filters on open access and opens an entry; every page is accessible."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from buurtkracht.socialmap.models import Resource
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD
from tests.socialmap.helpers import community_worker, entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_searching_the_social_map_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    user = community_worker()
    entry(user, name="Schuldhulpverlening", description="Hulp bij schulden")
    entry(
        user,
        name="Inloopspreekuur geldzaken",
        description="Zonder afspraak met vragen over schulden en post",
        access=Resource.Access.OPEN,
        verified_on=timezone.localdate() - dt.timedelta(days=500),
    )
    entry(user, name="Taalcafé", description="Nederlands oefenen", access=Resource.Access.OPEN)

    login(phone_page, live_server, "vrijwilliger", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(f"{live_server.url}/sociale-kaart/")
    assert_accessible(phone_page)

    phone_page.locator("#id_q").fill("schuld")
    phone_page.locator("label[for='id_open_access']").tap()
    phone_page.locator(".bk-socialmap-search button[type=submit]").tap()
    phone_page.wait_for_url("**/sociale-kaart/?*")
    cards = phone_page.locator(".bk-resource")
    assert cards.count() == 1
    assert "Inloopspreekuur geldzaken" in cards.first.inner_text()
    assert cards.first.locator(".bk-tag--stale").count() == 1
    assert_accessible(phone_page)

    cards.first.locator("a").first.tap()
    phone_page.wait_for_url("**/sociale-kaart/*-*/")
    assert phone_page.locator("h1").inner_text() == "Inloopspreekuur geldzaken"
    assert_accessible(phone_page)
