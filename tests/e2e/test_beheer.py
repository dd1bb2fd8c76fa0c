"""Beheer (the Django admin) in the browser: the functional administrator finds the
partners' API tokens in Dutch on a phone, with the accessibility scan."""

from __future__ import annotations

from typing import Any

import pytest

from buurtkracht.signals.tokens import api_token_create
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_beheer_lists_the_api_tokens_in_dutch_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    token, plain = api_token_create(
        organisation=personas.partner_liaison.organisation,  # type: ignore[arg-type]
        label="Koppeling klantsysteem",
        account=personas.partner_liaison,
    )
    login(phone_page, live_server, "beheer", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(f"{live_server.url}/beheer/signals/apitoken/")
    row = phone_page.locator("#result_list tbody tr").first
    assert token.prefix in row.inner_text()
    assert "Koppeling klantsysteem" in row.inner_text()
    headers = phone_page.locator("#result_list thead th").all_text_contents()
    assert {"Partner", "Account", "Omschrijving", "Eerste tekens"} <= {h.strip() for h in headers}
    # The list of models: its column headers are read out by a screen reader, in Dutch.
    hidden = phone_page.locator(".module thead.visually-hidden th").all_text_contents()
    assert "Modelnaam" in hidden and "Model name" not in hidden
    assert plain not in phone_page.content()
    assert_accessible(phone_page)
