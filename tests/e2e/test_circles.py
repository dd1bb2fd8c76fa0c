"""A learning circle on a phone: the library worker (a member from outside) opens their
circle from the start page and adds an action; a support-team member marks a learning
moment (a BSN in the text is refused first, with the error summary); anyone opens the
public summary, which names no member. Every page passes the accessibility scan."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from buurtkracht.circles.models import Action, LearningMoment
from tests.circles.helpers import circle_planted
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.test_casework import no_sideways_scroll
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_opens_their_circle_and_the_support_team_marks_a_moment(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    planted = circle_planted(personas, publish=False)
    circle = planted["circle"]
    page = phone_page

    # The library worker lands on their circles and opens this one.
    login(page, live_server, "kringlid", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Mijn leerkringen", level=1)).to_be_visible()
    assert_accessible(page)
    assert no_sideways_scroll(page)
    page.get_by_role("link", name=circle.title).first.click()
    expect(page.get_by_role("heading", name=circle.title, level=1)).to_be_visible()
    expect(page.get_by_text("Een vaste koffieochtend helpt.")).to_be_visible()
    # Not in the support team: no way to mark a moment.
    expect(page.get_by_role("link", name="Leermoment vastleggen")).to_have_count(0)
    assert_accessible(page)
    assert no_sideways_scroll(page)
    page.get_by_role("link", name="Actie toevoegen").click()
    expect(page.get_by_role("heading", name="Actie toevoegen", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Wat").fill("Leestafel op zaterdag")
    page.get_by_label("Wie").select_option(label=str(planted["member"]))
    page.get_by_label("Uiterlijk").fill(timezone.localdate().strftime("%d-%m-%Y"))
    page.get_by_role("button", name="Actie toevoegen").click()
    expect(page.get_by_text("Leestafel op zaterdag", exact=True)).to_be_visible()
    assert Action.objects.filter(what="Leestafel op zaterdag").exists()
    page.get_by_role("button", name="Uitloggen").click()

    # The team leader, in the support team, marks a learning moment.
    login(page, live_server, "teamleider", PASSWORD)
    page.wait_for_url(f"{live_server.url}/**")
    page.goto(f"{live_server.url}/leerkringen/{circle.pk}/")
    page.get_by_role("link", name="Leermoment vastleggen").click()
    expect(page.get_by_role("heading", name="Leermoment vastleggen", level=1)).to_be_visible()
    assert_accessible(page)
    assert no_sideways_scroll(page)
    page.get_by_label("Wat we leerden").fill("Mevrouw met BSN 111222333 kwam ook.")
    page.get_by_label("Datum").fill(timezone.localdate().strftime("%d-%m-%Y"))
    page.get_by_role("button", name="Leermoment vastleggen").click()
    expect(page.get_by_role("heading", name="Controleer het formulier")).to_be_visible()
    expect(page.get_by_text("op een BSN lijkt").first).to_be_visible()
    assert_accessible(page)
    assert not LearningMoment.objects.filter(learnt__contains="BSN").exists()
    page.get_by_label("Wat we leerden").fill("Samen eten werkt beter dan een lezing.")
    page.get_by_role("button", name="Leermoment vastleggen").click()
    expect(page.get_by_text("Leermoment vastgelegd.")).to_be_visible()
    expect(page.get_by_text("Samen eten werkt beter dan een lezing.")).to_be_visible()
    assert_accessible(page)

    # The summary, published, on its public page: no member named.
    page.get_by_role("link", name="Samenvatting schrijven").click()
    page.get_by_label("Wat we leerden").fill("Een vaste plek en tijd verlaagt de drempel.")
    page.get_by_label("Wat er gebeurde").fill("Elke dinsdag koffie in de bibliotheek.")
    assert_accessible(page)
    page.get_by_role("button", name="Samenvatting publiceren").click()
    expect(
        page.get_by_text("Samenvatting gepubliceerd. Iedereen met de link kan hem lezen.")
    ).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()
    page.goto(f"{live_server.url}/leerkringen/verslagen/{circle.public_id}/")
    expect(page.get_by_role("heading", name=circle.title, level=1)).to_be_visible()
    expect(page.get_by_text("Een vaste plek en tijd verlaagt de drempel.")).to_be_visible()
    body = page.content()
    for member in circle.members.select_related("user"):
        assert member.user.get_full_name() not in body
    assert_accessible(page)
    assert no_sideways_scroll(page)
