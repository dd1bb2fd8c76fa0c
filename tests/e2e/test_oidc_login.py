"""DigiD login on a phone, through the test OpenID Connect provider (tests/oidc_provider.py)
mounted beside the site in the live server's process: the site's back-channel calls to the
token, JWKS and userinfo endpoints go over real HTTP to the same server."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible
from tests.oidc_provider import provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BSN = "111222333"


@pytest.fixture
def digid(settings: Any, live_server: Any) -> None:
    settings.ROOT_URLCONF = "tests.oidc_urls"
    settings.OIDC_RESIDENT = {**provider.settings_for(live_server.url), "BSN_CLAIM": "bsn"}
    # The staff button too, so the login page is scanned with both.
    settings.OIDC_STAFF = {
        **provider.settings_for(live_server.url),
        "MATCH_CLAIM": "email",
        "MATCH_FIELD": "email",
        "MFA_AMR": ["mfa"],
        "MFA_ACR": [],
    }


def test_resident_logs_in_with_digid_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas, digid: None
) -> None:
    personas.make_worker_lead()
    person = personas.resident.person
    assert person is not None
    person.bsn = BSN
    person.save()
    provider.sign_in_as(bsn=BSN)
    phone_page.goto(f"{live_server.url}/accounts/login/")
    expect(
        phone_page.get_by_role("link", name="Inloggen met uw organisatie-account")
    ).to_be_visible()
    assert_accessible(phone_page)
    phone_page.get_by_role("link", name="Inloggen met DigiD").click()
    phone_page.wait_for_url(f"{live_server.url}/")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Mijn pagina")
    assert_accessible(phone_page)


def test_unknown_bsn_is_refused_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas, digid: None
) -> None:
    provider.sign_in_as(bsn="123456782")
    phone_page.goto(f"{live_server.url}/accounts/login/")
    phone_page.get_by_role("link", name="Inloggen met DigiD").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Inloggen is niet gelukt")
    expect(phone_page.get_by_role("alert")).to_contain_text("We kunnen u niet vinden")
    assert_accessible(phone_page)
