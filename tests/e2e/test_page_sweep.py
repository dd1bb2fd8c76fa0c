"""Every page of this session's apps that a flow test does not reach, opened by the
persona who uses it in the demo town, on a phone-sized screen, with the accessibility
scan: the staff pages of the social map, initiatives and voting rounds, the report, the
resident's story and network pages, the coordinator's queue and the referral list."""

from __future__ import annotations

from typing import Any

import pytest

from buurtkracht.accounts.models import User
from buurtkracht.demo.generator import DEMO_PASSWORD, generate_municipality
from buurtkracht.initiatives.models import Initiative
from buurtkracht.voting.models import VotingRound
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.test_casework import no_sideways_scroll
from tests.outcomes.helpers import shipped_instruments_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit(page: Any, live_server: Any, path: str) -> None:
    response = page.goto(f"{live_server.url}{path}")
    assert response is not None and response.status == 200, path
    assert_accessible(page)
    assert no_sideways_scroll(page), path


def test_every_new_page_passes_the_scan(phone_page: Any, live_server: Any) -> None:
    shipped_instruments_load()
    generate_municipality(seed=2, households=150, batch_size=150, progress=False)
    resident = User.objects.get(username="bewoner")
    assert resident.person is not None
    household = resident.person.memberships.get().household_id
    initiative = Initiative.objects.exclude(status="reported").order_by("created_at").first()
    assert initiative is not None
    counted = VotingRound.objects.get(status="counted")

    pages = {
        "opbouwwerker": [
            "/sociale-kaart/voorstellen/",
            "/sociale-kaart/uitwisselen/",
            "/sociale-kaart/nieuw/",
            "/initiatieven/",
            f"/initiatieven/{initiative.pk}/",
            "/initiatieven/budgetten/",
            "/stemmen/beheer/",
            f"/stemmen/beheer/{counted.pk}/",
            f"/stemmen/beheer/{counted.pk}/kwaliteit/",
        ],
        "beleid": ["/huishoudens/rapportage/"],
        "wijkwerker": [
            f"/huishoudens/{household}/verwijzingen/",
            f"/huishoudens/{household}/netwerk/vergelijken/",
            "/huishoudens/verhalen/",
        ],
        "vrijwilligerscoordinator": ["/vrijwilligers/hulpvragen/"],
        "vrijwilliger": ["/vrijwilligers/mijn/"],
        "bewoner": [
            f"/huishoudens/{household}/verhaal/nieuw/",
            f"/huishoudens/{household}/netwerk/",
            f"/huishoudens/{household}/voortgang/",
        ],
    }
    for username, paths in pages.items():
        phone_page.context.clear_cookies()
        login(phone_page, live_server, username, DEMO_PASSWORD)
        phone_page.wait_for_url(f"{live_server.url}/")
        for path in paths:
            visit(phone_page, live_server, path)
    for path in ("/initiatieven/voorstellen/", "/initiatieven/resultaten/", "/stemmen/"):
        phone_page.context.clear_cookies()
        visit(phone_page, live_server, path)
    visit(phone_page, live_server, f"/stemmen/{counted.pk}/uitslag/")
