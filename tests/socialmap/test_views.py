"""Who may do what on the social map, per role, through the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from buurtkracht.audit.models import AuditEvent
from buurtkracht.socialmap.models import Resource
from tests import factories
from tests.conftest import Personas
from tests.socialmap.helpers import community_worker, entry
from tests.versions import opened_at

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_anonymous_goes_to_login(client: Client) -> None:
    response = client.get("/sociale-kaart/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_reading_per_role(personas: Personas) -> None:
    resource = entry(community_worker(), name="Voedselbank Lindenhoven", description="Pakketten")
    allowed = {"worker", "team_leader", "colleague", "volunteer", "resident"}
    for name, user in personas.all().items():
        client = client_for(user)
        search = client.get("/sociale-kaart/", {"q": "voedselbank"})
        detail = client.get(f"/sociale-kaart/{resource.pk}/")
        if name in allowed:
            assert search.status_code == 200, name
            assert "Voedselbank Lindenhoven" in search.content.decode(), name
            assert detail.status_code == 200, name
        else:
            assert search.status_code == 404, name
            assert detail.status_code == 404, name


def test_search_page_shows_results_and_the_stale_mark(personas: Personas) -> None:
    entry(
        community_worker(),
        name="Repair Café",
        description="Samen repareren",
        verified_on=timezone.localdate() - dt.timedelta(days=800),
    )
    response = client_for(personas.volunteer).get("/sociale-kaart/", {"q": "repair"})
    body = response.content.decode()
    assert "Repair Café" in body
    assert "bk-tag--stale" in body
    assert "Niet gecontroleerd in het afgelopen jaar" in body


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Moestuin De Linde",
        "provider_name": "Bewoners Lindenstraat",
        "description": "Samen groenten kweken",
        "kind": "resident_initiative",
        "access": "open",
        "informal": "on",
        "address": "Lindenstraat 1",
        "city": "Lindenhoven",
        "opening_hours": "za 10:00-12:00",
    }
    data.update(overrides)
    return data


def test_a_worker_publishes_and_a_resident_proposes(personas: Personas) -> None:
    response = client_for(personas.worker).post("/sociale-kaart/nieuw/", _form())
    assert response.status_code == 302
    published = Resource.objects.get(name="Moestuin De Linde")
    assert published.status == Resource.Status.PUBLISHED

    response = client_for(personas.resident).post("/sociale-kaart/nieuw/", _form(name="Buurtbank"))
    assert response.status_code == 302
    proposal = Resource.objects.get(name="Buurtbank")
    assert proposal.status == Resource.Status.PROPOSED and proposal.proposed_by == personas.resident
    # Not visible to another reader, visible to the one who proposed it.
    assert client_for(personas.volunteer).get(f"/sociale-kaart/{proposal.pk}/").status_code == 404
    assert client_for(personas.resident).get(f"/sociale-kaart/{proposal.pk}/").status_code == 200
    # Residents cannot edit.
    edit = client_for(personas.resident).get(f"/sociale-kaart/{published.pk}/wijzigen/")
    assert edit.status_code == 404


def test_bad_input_gets_dutch_errors_and_keeps_what_was_typed(personas: Personas) -> None:
    response = client_for(personas.worker).post(
        "/sociale-kaart/nieuw/", _form(opening_hours="maandag ochtend", age_min="70", age_max="12")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Moestuin De Linde" in body
    assert "is niet duidelijk" in body
    assert "De maximumleeftijd is lager dan de minimumleeftijd." in body
    assert Resource.objects.count() == 0


def test_the_form_takes_only_web_links_and_a_stored_script_link_is_not_a_link(
    personas: Personas,
) -> None:
    """Issue 15, finding 9: a `javascript:` website must not reach the page as a link."""
    for bad in ("javascript:alert(1)", "ftp://lindenhoven.example/", "data:text/html,x"):
        response = client_for(personas.worker).post("/sociale-kaart/nieuw/", _form(website=bad))
        assert response.status_code == 400, bad
        body = response.content.decode()
        assert "Moestuin De Linde" in body and "begint met http:// of https://" in body
    assert Resource.objects.count() == 0
    # An entry stored before this check (or by another way in) shows its text, no link.
    resource = entry(community_worker())
    Resource.objects.filter(pk=resource.pk).update(website="JavaScript:alert(document.cookie)")
    page = client_for(personas.worker).get(f"/sociale-kaart/{resource.pk}/").content.decode()
    assert "JavaScript:alert(document.cookie)" in page
    assert 'href="JavaScript:' not in page and 'href="javascript:' not in page.lower()


def test_moderation_by_team_leader_not_by_worker(personas: Personas) -> None:
    client_for(personas.volunteer).post("/sociale-kaart/nieuw/", _form(name="Buurtbank"))
    proposal = Resource.objects.get(name="Buurtbank")
    assert client_for(personas.worker).get("/sociale-kaart/voorstellen/").status_code == 404
    assert (
        client_for(personas.worker)
        .post(f"/sociale-kaart/{proposal.pk}/beoordelen/", {"decision": "accept"})
        .status_code
        == 404
    )
    leader = client_for(personas.team_leader)
    assert "Buurtbank" in leader.get("/sociale-kaart/voorstellen/").content.decode()
    refused = leader.post(f"/sociale-kaart/{proposal.pk}/beoordelen/", {"decision": "reject"})
    assert refused.status_code == 400
    leader.post(
        f"/sociale-kaart/{proposal.pk}/beoordelen/", {"decision": "reject", "reason": "Dubbel"}
    )
    proposal.refresh_from_db()
    assert proposal.status == Resource.Status.REJECTED and proposal.rejection_reason == "Dubbel"


def test_exchange_for_community_worker_and_admin_only(personas: Personas) -> None:
    entry(community_worker(), name="Voedselbank", description="Pakketten")
    for user, status in ((personas.worker, 404), (personas.functional_admin, 200)):
        assert client_for(user).get("/sociale-kaart/uitwisselen/").status_code == status
    response = client_for(personas.functional_admin).get("/sociale-kaart/uitwisselen/hsds.json")
    assert response.status_code == 200
    assert response.json()["services"][0]["name"] == "Voedselbank"
    assert AuditEvent.objects.filter(action="export").exists()


def test_verify_marks_checked_today(personas: Personas) -> None:
    resource = entry(community_worker(), verified_on=timezone.localdate() - dt.timedelta(days=900))
    response = client_for(personas.worker).post(f"/sociale-kaart/{resource.pk}/gecontroleerd/")
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.verified_on == timezone.localdate()
    assert (
        client_for(personas.worker).get(f"/sociale-kaart/{resource.pk}/gecontroleerd/").status_code
        == 405
    )


def test_search_query_count_does_not_grow(
    personas: Personas, django_assert_max_num_queries: object
) -> None:
    user = community_worker()
    for i in range(30):
        entry(user, name=f"Dienst {i}", description="Hulp")
    client = client_for(personas.worker)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get("/sociale-kaart/", {"q": "hulp"}).status_code == 200


def test_unknown_area_id_is_ignored_politely(personas: Personas) -> None:
    response = client_for(personas.worker).get("/sociale-kaart/", {"area": "99999"})
    assert response.status_code == 200
    assert factories is not None


def test_a_malformed_id_is_a_404(personas: Personas) -> None:
    assert client_for(personas.worker).get("/sociale-kaart/1/").status_code == 404


def test_two_people_changing_one_entry_lose_no_change(personas: Personas) -> None:
    """Issue 15, finding 9: the second save overwrote the first without a word."""
    resource = entry(community_worker(), name="Voedselbank", description="Pakketten")
    url = f"/sociale-kaart/{resource.pk}/wijzigen/"
    first, second = client_for(personas.worker), client_for(personas.team_leader)
    tab_one = opened_at(first.get(url).content.decode())
    tab_two = opened_at(second.get(url).content.decode())
    base = _form(name="Voedselbank", description="Pakketten", provider_name="Gemeente Lindenhoven")

    response = first.post(url, {**base, **tab_one, "cost": "Gratis"})
    assert response.status_code == 302
    response = second.post(url, {**base, **tab_two, "target_group": "Gezinnen met kinderen"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Iemand anders heeft dit gewijzigd" in page and "Kosten: “(leeg)” werd “Gratis”" in page
    assert "Gezinnen met kinderen" in page
    resource.refresh_from_db()
    assert (resource.cost, resource.target_group) == ("Gratis", "")

    response = second.post(
        url, {**base, **opened_at(page), "cost": "Gratis", "target_group": "Gezinnen met kinderen"}
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.cost, resource.target_group) == ("Gratis", "Gezinnen met kinderen")


def test_marking_checked_meanwhile_is_not_undone_by_an_open_form(personas: Personas) -> None:
    resource = entry(community_worker(), verified_on=None)
    url = f"/sociale-kaart/{resource.pk}/wijzigen/"
    worker = client_for(personas.worker)
    opened = opened_at(worker.get(url).content.decode())
    assert (
        client_for(personas.team_leader)
        .post(f"/sociale-kaart/{resource.pk}/gecontroleerd/")
        .status_code
        == 302
    )
    data = _form(name=resource.name, description=resource.description, verified_on="")
    response = worker.post(url, {**data, "provider_name": "Gemeente Lindenhoven", **opened})
    assert response.status_code == 400
    resource.refresh_from_db()
    assert resource.verified_on == timezone.localdate()
