"""Pictures of progress in the browser: an assessment taken on a phone at the kitchen
table, and the progress page with a spider chart of two moments, both accessible.

The interface text is located by structure (names and ids) and by the Dutch instrument
labels, which are data, so the test does not depend on the state of the translations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from buurtkracht.outcomes.models import Assessment
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD
from tests.outcomes.helpers import assess, shipped_instruments_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def instruments(transactional_db: None) -> None:
    shipped_instruments_load()


def test_an_assessment_on_a_phone(phone_page: Any, live_server: Any, personas: Personas) -> None:
    personas.make_worker_lead()
    login(phone_page, live_server, "wijkwerker", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/voortgang/")
    phone_page.locator("a[href$='/voortgang/nieuw/zrm/']").click()
    assert_accessible(phone_page)

    finances = phone_page.get_by_role("group", name="Financiën")
    finances.get_by_label("Niet zelfredzaam").tap()
    phone_page.get_by_role("group", name="Huisvesting").get_by_label("Voldoende zelfredzaam").tap()
    phone_page.locator("label[for='id_moment_0']").tap()
    phone_page.locator("label[for='id_perspective_1']").tap()
    phone_page.locator(".bk-assessment-form button[type=submit]").tap()

    phone_page.wait_for_url(f"{live_server.url}/huishoudens/{personas.household.pk}/voortgang/")
    assessment = Assessment.objects.get()
    assert assessment.scores == {"finances": 2, "housing": 4}
    assert assessment.perspective == Assessment.Perspective.RESIDENT
    assert assessment.held_on == timezone.localdate()
    assert phone_page.locator("svg.bk-spider").count() == 1
    assert_accessible(phone_page)


def test_the_spider_chart_with_two_moments(page: Any, live_server: Any, personas: Personas) -> None:
    personas.make_worker_lead()
    household, worker = personas.household, personas.worker
    assess(household, worker, held_on=dt.date(2026, 1, 10), scores={"finances": 2, "housing": 3})
    assess(
        household,
        worker,
        held_on=dt.date(2026, 4, 10),
        moment=Assessment.Moment.REVIEW,
        scores={"finances": 4, "housing": 3, "social_network": 2},
    )
    assess(
        household,
        worker,
        held_on=dt.date(2026, 1, 10),
        perspective=Assessment.Perspective.RESIDENT,
        scores={"finances": 1, "housing": 4},
    )
    for day, rung in ((dt.date(2026, 1, 10), 1), (dt.date(2026, 4, 10), 3)):
        assess(
            household,
            worker,
            code="participation_ladder",
            held_on=day,
            scores={"rung": rung},
        )
    login(page, live_server, "bewoner", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/huishoudens/{household.pk}/voortgang/")
    charts = page.locator("svg.bk-spider")
    assert charts.count() == 2  # the worker's view and the resident's own view
    worker_chart = charts.first
    assert worker_chart.locator("polygon.bk-spider__earlier").count() == 1
    assert worker_chart.locator("polygon.bk-spider__latest").count() == 1
    assert page.get_by_role("img").count() >= 2
    assert "Voldoende zelfredzaam" in page.locator("table.bk-values").first.inner_text()
    assert page.locator("svg.bk-ladder circle.bk-ladder__point").count() == 2
    assert "Georganiseerde activiteiten" in page.locator("ol.bk-ladder-path").inner_text()
    assert_accessible(page)
    page.emulate_media(media="print")
    assert page.locator("svg.bk-spider").first.is_visible()


def test_the_resident_scores_themselves_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    personas.make_worker_lead()
    page = phone_page
    login(page, live_server, "bewoner", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/voortgang/")
    page.locator("a[href$='/voortgang/zelf/own_score/']").click()
    page.wait_for_url("**/voortgang/zelf/own_score/")
    assert_accessible(page)
    page.get_by_role("group", name="Financiën").locator("label[for$='_3']").tap()
    page.get_by_role("group", name="Sociaal netwerk").locator("label[for$='_6']").tap()
    page.locator("textarea[name='note']").fill("Met de schulden gaat het nog niet.")
    page.locator(".bk-assessment-form button[type=submit]").tap()

    page.wait_for_url(f"{live_server.url}/huishoudens/{personas.household.pk}/voortgang/")
    own = Assessment.objects.get()
    assert own.perspective == Assessment.Perspective.RESIDENT
    assert own.person == personas.resident.person
    assert set(own.scores) == {"finances", "social_network"}
    assert page.locator("svg.bk-spider").count() == 1
    assert_accessible(page)
