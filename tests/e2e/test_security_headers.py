"""The Content Security Policy holds in a real browser: our pages, the admin and the
account activation with its QR code (inline SVG) load without a single violation."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from tests.conftest import Personas
from tests.e2e.conftest import login
from tests.factories import PASSWORD


def code_for_secret(shown: str) -> str:
    """The app's code now for the key the activation page shows (base32, in groups)."""
    import base64

    from django_otp.oath import TOTP

    key = shown.replace(" ", "")
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    return f"{TOTP(secret, step=30, digits=6).token():06d}"


def activation_link(user: Any) -> str:
    """A fresh activation link for `user`, as if mailed (path only)."""
    from buurtkracht.accounts.activation import activation_issue, activation_path

    return activation_path(activation_issue(user=user, by=None))


def current_code(user: Any) -> str:
    """The code the user's authenticator app shows now."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user)
    return (
        f"{TOTP(device.bin_key, step=device.step, digits=device.digits).token():0{device.digits}d}"
    )


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@override_settings(REQUIRE_TWO_FACTOR=True)
def test_pages_load_without_csp_violations(
    browser: Any, live_server: Any, personas: Personas
) -> None:
    context = browser.new_context(locale="nl-NL")  # CSP enforced
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    response = page.goto(f"{live_server.url}/accounts/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    admin = personas.functional_admin
    admin.set_unusable_password()
    admin.save()
    page.goto(f"{live_server.url}{activation_link(admin)}")
    assert page.locator(".bk-qr svg").is_visible()
    page.get_by_label("Nieuw wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Nieuw wachtwoord bevestigen").fill(PASSWORD)
    shown = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Code van uw app").fill(code_for_secret(shown))
    page.get_by_role("button", name="Activeren").click()
    expect(page.get_by_test_id("recovery-codes")).to_be_visible()
    login(page, live_server, "beheer", PASSWORD)
    page.wait_for_url("**/accounts/tweestaps/**")
    page.get_by_label("Code van uw app").fill(current_code(admin))
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/beheer/")
    assert page.get_by_role("link", name="Gebieden").first.is_visible()
    page.goto(f"{live_server.url}/beheer/core/area/")
    context.close()
    assert violations == []
