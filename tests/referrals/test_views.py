"""The referral pages: from the plan, with the consent check; the next step; the list;
"Mijn werk"; the social map's started count. Outsiders get the 404 of a missing file."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from buurtkracht.audit.models import AuditEvent
from buurtkracht.referrals.models import Referral
from buurtkracht.referrals.services import referral_advance
from tests.conftest import Personas
from tests.referrals.helpers import in_days, make_world, propose
from tests.versions import opened_at

pytestmark = pytest.mark.django_db
S = Referral.Status


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_plan_links_to_a_warm_referral_from_its_action(personas: Personas) -> None:
    world = make_world(personas)
    body = _client(personas.worker).get(reverse("casework:plan", args=[personas.household.pk]))
    assert f"?actie={world.action.pk}" in body.content.decode()
    assert "Warm doorverwijzen" in body.content.decode()


def test_new_referral_searches_the_social_map_and_checks_consent(personas: Personas) -> None:
    world = make_world(personas, consent=False)
    client = _client(personas.worker)
    url = reverse("referrals:new", args=[personas.household.pk])
    page = client.get(url, {"actie": str(world.action.pk), "q": "schulden"})
    assert page.status_code == 200
    assert "Schuldhulpverlening" in page.content.decode()
    page = client.get(url, {"actie": str(world.action.pk), "bron": str(world.resource.pk)})
    assert "Geen geldige toestemming" in page.content.decode()
    data = {
        "action": world.action.pk,
        "person": world.person.pk,
        "resource": str(world.resource.pk),
        "follow_up_on": in_days(7).strftime("%d-%m-%Y"),
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Er is geen toestemming" in body
    assert reverse("households:consents", args=[personas.household.pk]) in body
    assert not Referral.objects.exists()


def test_worker_makes_a_referral_and_moves_it_on(personas: Personas) -> None:
    world = make_world(personas)
    client = _client(personas.worker)
    url = reverse("referrals:new", args=[personas.household.pk])
    response = client.post(
        url,
        {
            "action": world.action.pk,
            "person": world.person.pk,
            "resource": str(world.resource.pk),
            "follow_up_on": in_days(7).strftime("%d-%m-%Y"),
        },
    )
    referral = Referral.objects.get()
    detail = reverse("referrals:detail", args=[personas.household.pk, referral.pk])
    assert response.status_code == 302 and response["Location"] == detail
    missing = client.post(detail, {"status": S.DROPPED_OUT})
    assert missing.status_code == 400
    assert "Schrijf op waarom" in missing.content.decode()
    client.post(
        detail,
        {
            "status": S.APPOINTMENT_MADE,
            "appointment_on": in_days(2).strftime("%d-%m-%Y"),
            "appointment_time": "14:30",
            "follow_up_on": in_days(3).strftime("%d-%m-%Y"),
        },
    )
    referral.refresh_from_db()
    assert referral.status == S.APPOINTMENT_MADE
    assert referral.appointment_at is not None
    page = client.get(detail).content.decode()
    assert "Afspraak gemaakt" in page
    listing = client.get(reverse("referrals:list", args=[personas.household.pk]))
    assert "Schuldhulpverlening" in listing.content.decode()


def test_outsiders_get_a_404_and_the_resident_only_reads(personas: Personas) -> None:
    world = make_world(personas)
    referral = propose(personas, world)
    pk = personas.household.pk
    urls = [
        reverse("referrals:list", args=[pk]),
        reverse("referrals:new", args=[pk]),
        reverse("referrals:detail", args=[pk, referral.pk]),
    ]
    for user in (personas.colleague, personas.volunteer, personas.policy_advisor):
        client = _client(user)
        for url in urls:
            assert client.get(url).status_code == 404
            assert client.post(url, {"status": S.CONTACTED}).status_code in (404, 405)
    assert AuditEvent.objects.filter(actor_id=personas.colleague.pk, allowed=False).exists()
    resident = _client(personas.resident)
    assert resident.get(urls[0]).status_code == 200
    assert resident.get(urls[2]).status_code == 200
    assert resident.get(urls[1]).status_code == 404
    assert resident.post(urls[2], {"status": S.CONTACTED}).status_code == 404
    referral.refresh_from_db()
    assert referral.status == S.PROPOSED


def test_a_referral_of_another_household_is_not_found_here(personas: Personas) -> None:
    world = make_world(personas)
    referral = propose(personas, world)
    from tests import factories

    other = factories.MembershipFactory.create(
        household__address__neighbourhood=personas.household.address.neighbourhood
    ).household
    from buurtkracht.households.models import Involvement

    Involvement.objects.create(
        household=other, worker=personas.worker, kind="lead", start_date=in_days(-30)
    )
    url = reverse("referrals:detail", args=[other.pk, referral.pk])
    assert _client(personas.worker).get(url).status_code == 404


def test_my_work_lists_overdue_checks_and_drop_outs(personas: Personas) -> None:
    world = make_world(personas)
    overdue = propose(personas, world)
    Referral.objects.filter(pk=overdue.pk).update(follow_up_on=in_days(-1))
    dropped = propose(personas, world)
    referral_advance(
        referral=dropped, status=S.DROPPED_OUT, user=personas.worker, reason="Verhuisd."
    )
    body = _client(personas.worker).get(reverse("workspace:my-work")).content.decode()
    assert "Warme doorverwijzingen om na te gaan" in body
    assert "Verhuisd." in body
    assert reverse("referrals:detail", args=[personas.household.pk, overdue.pk]) in body


def test_social_map_entry_shows_started_referrals_rounded(personas: Personas) -> None:
    """The count is published as every figure is (core.disclosure): rounded to base 5."""
    world = make_world(personas)
    url = reverse("socialmap:detail", args=[world.resource.pk])
    for started, shown in ((1, "0"), (3, "5")):
        while Referral.objects.filter(status=S.STARTED).count() < started:
            referral = propose(personas, world)
            referral_advance(referral=referral, status=S.STARTED, user=personas.worker)
        body = _client(personas.worker).get(url).content.decode()
        assert "Via warme doorverwijzingen" in body
        assert f"{shown} begonnen in de afgelopen 12 maanden (afgerond op vijftallen)" in body


def test_pages_do_not_query_more_with_more_referrals(personas: Personas) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world = make_world(personas)
    client = _client(personas.worker)
    pages = [
        reverse("referrals:list", args=[personas.household.pk]),
        reverse("workspace:my-work"),
    ]

    def counts() -> list[int]:
        result = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    first = propose(personas, world)
    Referral.objects.filter(pk=first.pk).update(follow_up_on=in_days(-1))
    before = counts()
    for _ in range(4):
        referral = propose(personas, world)
        Referral.objects.filter(pk=referral.pk).update(follow_up_on=in_days(-1))
    assert counts() == before


def test_a_step_chosen_on_an_old_page_is_refused_until_seen(personas: Personas) -> None:
    """Issue 15, finding 9: a colleague's step (an appointment, its date) was overwritten
    by a step chosen on a page that did not show it."""
    world = make_world(personas)
    referral = propose(personas, world)
    detail = reverse("referrals:detail", args=[personas.household.pk, referral.pk])
    lead, leader = _client(personas.worker), _client(personas.team_leader)
    tab_lead = opened_at(lead.get(detail).content.decode())
    tab_leader = opened_at(leader.get(detail).content.decode())
    follow_up = in_days(3).strftime("%d-%m-%Y")
    response = lead.post(
        detail,
        {
            **tab_lead,
            "status": S.APPOINTMENT_MADE,
            "appointment_on": in_days(2).strftime("%d-%m-%Y"),
            "follow_up_on": follow_up,
        },
    )
    assert response.status_code == 302
    response = leader.post(
        detail, {**tab_leader, "status": S.CONTACTED, "follow_up_on": follow_up, "note": "Gebeld"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Iemand anders heeft dit gewijzigd" in page and "Gebeld" in page
    referral.refresh_from_db()
    assert referral.status == S.APPOINTMENT_MADE and referral.steps.count() == 2
