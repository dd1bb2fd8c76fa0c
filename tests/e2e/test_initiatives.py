"""Story 3 on a phone (PRODUCT.md): residents of the Lindenstraat propose a walking group
and a bench without an account, follow their link; the community worker records support
and the decisions; the neighbourhood platform approves €800, paid 70% by the
municipality and 30% by the housing corporation; the residents report back and the
story appears on the public results page. Every page is accessible."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from buurtkracht.initiatives.models import Budget, Check, Decider, Initiative, RouteStep
from tests import factories
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD
from tests.initiatives.helpers import community_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _oost() -> Any:
    district = factories.DistrictFactory.create(name="Oost")
    hood = factories.NeighbourhoodFactory.create(parent=district, name="Bomenbuurt")
    today = timezone.localdate()
    budget = Budget.objects.create(
        name="Bewonersbudget Oost",
        area=district,
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=300),
        amount=Decimal("30000"),
    )
    RouteStep.objects.create(
        budget=budget,
        order=1,
        checks=[Check.POLICY, Check.FEASIBILITY],
        decider=Decider.OFFICIAL,
        decider_label="ambtenaar bewonersbudget",
    )
    RouteStep.objects.create(
        budget=budget,
        order=2,
        checks=[Check.LIVEABILITY, Check.COST],
        amount_above=Decimal("500"),
        decider=Decider.PLATFORM,
        decider_label="wijkplatform Oost",
    )
    return hood


def _decide(page: Any, reason: str) -> None:
    page.locator(".bk-decision-form label[for='id_outcome_0']").click()
    page.locator(".bk-decision-form #id_reason").fill(reason)
    page.locator(".bk-decision-form button[type=submit]").click()
    page.wait_for_load_state()


def test_story_three_on_a_phone(phone_page: Any, live_server: Any) -> None:
    page = phone_page
    hood = _oost()
    factories.OrganisationFactory.create(name="Gemeente Lindenhoven")
    factories.OrganisationFactory.create(name="Woonstichting Lindenhoven", housing_corporation=True)
    community_worker()

    # The residents propose, without an account. A first try misses what they do themselves.
    page.goto(f"{live_server.url}/initiatieven/voorstellen/")
    assert_accessible(page)
    page.locator("#id_title").fill("Wandelgroep en bankje Lindenstraat")
    page.locator("#id_description").fill("Elke woensdag een half uur wandelen, met een bankje.")
    page.locator("#id_neighbourhood").select_option(label="Bomenbuurt (Oost)")
    page.locator("#id_for_whom").fill("Ouderen in de Lindenstraat")
    page.locator("#id_cost").fill("800")
    page.locator("#id_cost_breakdown").fill("Bankje €600, koffie en flyers €200")
    page.locator("#id_contact_name").fill("Ria de Boer")
    page.locator("#id_contact_phone").fill("06 12345678")
    page.get_by_role("button", name="Voorstel versturen").click()
    page.wait_for_load_state()
    assert "Vertel wat jij en je buren zelf doen" in page.content()
    assert page.locator("#id_title").input_value() == "Wandelgroep en bankje Lindenstraat"
    assert_accessible(page)
    page.locator("#id_own_contribution").fill("We lopen zelf voorop en houden het bankje schoon.")
    page.get_by_role("button", name="Voorstel versturen").click()
    page.wait_for_url("**/initiatieven/volg/**")
    assert "Bewaar deze link" in page.content()
    link = page.locator(".bk-link-box a").get_attribute("href")
    assert link and "/initiatieven/volg/" in link
    assert "De opbouwwerker" in page.locator(".bk-next").inner_text()
    assert_accessible(page)
    initiative = Initiative.objects.get()
    assert initiative.neighbourhood == hood

    # The community worker records support, starts the assessment and the decisions.
    staff = page.context.browser.new_context(  # a separate session: the worker's phone
        locale="nl-NL",
        viewport={"width": 375, "height": 812},
        is_mobile=True,
        has_touch=True,
        bypass_csp=True,
    )
    worker = staff.new_page()
    try:
        login(worker, live_server, "opbouwwerker", PASSWORD)
        worker.wait_for_url(f"{live_server.url}/")
        worker.goto(f"{live_server.url}/initiatieven/")
        assert "Wandelgroep en bankje Lindenstraat" in worker.content()
        assert_accessible(worker)
        worker.get_by_role("link", name="Wandelgroep en bankje Lindenstraat").click()
        worker.wait_for_url(f"**/initiatieven/{initiative.pk}/")
        assert "06 12345678" in worker.content()
        assert_accessible(worker)
        worker.locator(".bk-support-form #id_what").fill("Plan en begroting samen geschreven.")
        worker.get_by_role("button", name="Ondersteuning vastleggen").click()
        worker.wait_for_load_state()
        worker.get_by_role("button", name="Start de beoordeling").click()
        worker.wait_for_load_state()
        assert "Leg het besluit vast van ambtenaar bewonersbudget" in worker.content()
        assert_accessible(worker)
        _decide(worker, "Past in het beleid: ontmoeten en bewegen. Goed uit te voeren.")
        assert "Leg het besluit vast van wijkplatform Oost" in worker.content()
        _decide(worker, "Het wijkplatform vindt dit goed voor de straat. Redelijke kosten.")
        initiative.refresh_from_db()
        assert initiative.status == Initiative.Status.APPROVED
        assert_accessible(worker)

        # Who pays: 70% municipality, 30% housing corporation; then the money is paid.
        worker.locator("#id_organisation_1").select_option(label="Gemeente Lindenhoven")
        worker.locator("#id_percent_1").fill("70")
        worker.locator("#id_organisation_2").select_option(label="Woonstichting Lindenhoven")
        worker.locator("#id_percent_2").fill("30")
        worker.get_by_role("button", name="Betalers opslaan").click()
        worker.wait_for_load_state()
        worker.get_by_role("button", name="Het geld is betaald").click()
        worker.wait_for_load_state()
        initiative.refresh_from_db()
        assert initiative.status == Initiative.Status.RUNNING
        assert_accessible(worker)
    finally:
        staff.close()

    # The residents follow their link: every step with who decided and why.
    page.goto(link)
    body = page.content()
    assert "wijkplatform Oost" in body and "Het wijkplatform vindt dit goed" in body
    assert "Woonstichting Lindenhoven 30%" in body
    assert_accessible(page)
    page.get_by_role("link", name="Vertel hoe het ging").click()
    page.wait_for_url("**/verslag/")
    assert_accessible(page)
    page.locator("#id_story").fill("Elke woensdag lopen veertien buren mee. Het bankje staat er.")
    page.locator("#id_attendance").fill("14")
    page.get_by_role("button", name="Versturen").click()
    page.wait_for_url(link)

    # The public results show the story, never the initiators' contact details.
    page.goto(f"{live_server.url}/initiatieven/resultaten/")
    results = page.content()
    assert "Elke woensdag lopen veertien buren mee." in results
    assert "14 mensen deden mee" in results
    assert "Ria de Boer" not in results and "12345678" not in results
    assert_accessible(page)
