"""Browser checks: Playwright for Python driving Debian's Chromium against the live test
server, with an axe-core scan (WCAG 2.1 AA rules) of every page visited.

Playwright never downloads a browser here; it drives /usr/bin/chromium. Without Chromium
these checks are skipped on a developer machine and fail under CI, so CI cannot pass
silently without them.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# beside one unless told that this test process knows what it does.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 812}


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        message = "Chromium is not installed (apt-get install chromium): browser checks need it."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    # The axe scan is injected as a script, which our Content Security Policy (rightly)
    # refuses; these contexts bypass it. test_security_headers checks the policy with it on.
    context = browser.new_context(locale="nl-NL", bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        locale="nl-NL",
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        bypass_csp=True,
    )
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core with the WCAG 2.1 A and AA rules on the page as it is now.

    A click that navigates may still be replacing the document when the scan starts; then
    the script has nowhere to go. Wait for the new page to load and try once more.
    """
    try:
        page.wait_for_load_state("load")
        page.add_script_tag(path=str(AXE_JS))
    except Exception as error:  # playwright's Error: the document was being replaced
        if "appendChild" not in str(error) and "context was destroyed" not in str(error):
            raise
        page.wait_for_load_state("load")
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_21_AA,
    )
    return list(result["violations"])


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    readable = [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "where": [node["target"] for node in v["nodes"]][:5],
        }
        for v in violations
    ]
    assert readable == [], f"{page.url} breaks WCAG 2.1 AA:\n{json.dumps(readable, indent=2)}"
    viewport = page.viewport_size
    if viewport and viewport["width"] < 500:
        # WCAG 1.4.10 reflow: on a phone nothing may need sideways scrolling.
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"{page.url} scrolls sideways on a phone: {widths}"


def login(page: Any, live_server: Any, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
