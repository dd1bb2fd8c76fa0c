"""Netwerkkaart pages: who may see and change, what is logged, what the pages show."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from buurtkracht.audit.models import AuditEvent
from buurtkracht.network.models import NetworkVersion, Tie
from tests.conftest import Personas
from tests.network.helpers import add, centre, story_two
from tests.versions import opened_at

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def urls(personas: Personas, tie_pk: int = 0) -> dict[str, str]:
    base = f"/huishoudens/{personas.household.pk}/netwerk/"
    return {
        "map": base,
        "print": base + "afdrukken/",
        "compare": base + "vergelijken/",
        "new": base + "nieuw/",
        "version": base + "versie/",
        "edit": base + f"{tie_pk}/",
        "end": base + f"{tie_pk}/beeindigen/",
        "dnc": base + f"{tie_pk}/niet-benaderen/",
    }


def test_anonymous_visitors_are_sent_to_login(client: Client, personas: Personas) -> None:
    tie = add(personas.household, personas.worker, "Els")
    for url in urls(personas, tie.pk).values():
        response = client.get(url)
        assert response.status_code in (302, 405)
        if response.status_code == 302:
            assert "login" in response["Location"]


def test_outsiders_get_404_and_change_nothing(personas: Personas) -> None:
    tie = add(personas.household, personas.worker, "Els")
    for user in (personas.colleague, personas.volunteer, personas.privacy_officer):
        client = client_for(user)
        for url in urls(personas, tie.pk).values():
            assert client.get(url).status_code in (404, 405)
            assert client.post(url, {"name": "X", "kind": "friend", "label": "X"}).status_code in (
                404,
                405,
            )
    tie.refresh_from_db()
    assert tie.ended_on is None and not tie.do_not_contact
    assert Tie.objects.count() == 1
    assert NetworkVersion.objects.count() == 0
    assert AuditEvent.objects.filter(actor_id=personas.colleague.pk, allowed=False).exists()


def test_the_lead_worker_and_the_team_leader_see_the_map_and_it_is_logged(
    personas: Personas,
) -> None:
    personas.make_worker_lead()
    story_two(personas.household, personas.worker)
    person = centre(personas.household)
    for user in (personas.worker, personas.team_leader):
        response = client_for(user).get(urls(personas)["map"])
        assert response.status_code == 200
        body = response.content.decode()
        assert body.count('class="bk-network__node"') == 7
        assert "Herstelgroep" in body
        event = AuditEvent.objects.filter(actor_id=user.pk, action="read", allowed=True).last()
        assert event is not None
        assert person.pk in event.subjects.values_list("person_id", flat=True)


def test_the_household_page_links_to_the_map(personas: Personas) -> None:
    personas.make_worker_lead()
    body = client_for(personas.worker).get(f"/huishoudens/{personas.household.pk}/")
    assert urls(personas)["map"] in body.content.decode()


def test_a_tie_added_on_a_phone_with_only_name_and_kind(personas: Personas) -> None:
    personas.make_worker_lead()
    client = client_for(personas.worker)
    response = client.post(
        urls(personas)["new"],
        {
            "name": "Tante Els",
            "kind": "family",
            "closeness": "1",
            "quality": "strong",
            "energy": "neutral",
            "contact": "contacted",
        },
    )
    assert response.status_code == 302
    tie = Tie.objects.get()
    assert (tie.name, tie.kind, tie.closeness, tie.added_on) == (
        "Tante Els",
        "family",
        1,
        timezone.localdate(),
    )
    assert tie.recorded_by == personas.worker


def test_errors_are_in_dutch_and_keep_what_was_typed(personas: Personas) -> None:
    personas.make_worker_lead()
    response = client_for(personas.worker).post(
        urls(personas)["new"], {"name": "Tante Els", "phone": "12"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Tante Els" in body
    assert "Kies wie het is" in body
    assert Tie.objects.count() == 0


def test_the_resident_decides_who_is_on_the_map(personas: Personas) -> None:
    personas.make_worker_lead()
    tie = add(personas.household, personas.worker, "Vader", "family")
    client = client_for(personas.resident)
    body = client.get(urls(personas)["map"]).content.decode()
    assert "Uw netwerkkaart" in body
    assert "Vader" in body
    assert client.post(urls(personas, tie.pk)["dnc"], {"value": "1"}).status_code == 302
    tie.refresh_from_db()
    assert tie.do_not_contact
    response = client.post(
        urls(personas)["new"],
        {
            "name": "Buurvrouw",
            "kind": "neighbour",
            "closeness": "2",
            "quality": "weak",
            "energy": "gives",
            "contact": "known",
        },
    )
    assert response.status_code == 302
    new = Tie.objects.get(name="Buurvrouw")
    assert client.post(urls(personas, new.pk)["end"], {"reason": "verhuisd"}).status_code == 302
    new.refresh_from_db()
    assert new.ended_on == timezone.localdate()
    # Saving a version is the worker's, at an intake or a review.
    assert client.post(urls(personas)["version"], {"label": "X"}).status_code == 404
    assert AuditEvent.objects.filter(
        actor_id=personas.resident.pk, ground="own_data", action="update"
    ).exists()


def test_saving_a_version_and_comparing(personas: Personas) -> None:
    personas.make_worker_lead()
    household, worker = personas.household, personas.worker
    add(household, worker, "Moeder", "family")
    client = client_for(worker)
    person = centre(household)
    response = client.post(urls(personas)["version"], {"label": "Intake", "persoon": person.pk})
    assert response.status_code == 302
    version = NetworkVersion.objects.get()
    assert version.label == "Intake" and len(version.ties) == 1
    add(household, worker, "Ruud", "professional", relation="kwartiermaker")
    body = client.get(urls(personas)["compare"] + f"?a={version.pk}&b=nu").content.decode()
    assert "Van 1 naar 2 contacten" in body
    assert body.count('<svg class="bk-network"') == 2
    assert "kwartiermaker" in body


def test_a_version_with_an_empty_name_is_refused_with_a_message(personas: Personas) -> None:
    personas.make_worker_lead()
    response = client_for(personas.worker).post(
        urls(personas)["version"], {"label": ""}, follow=True
    )
    assert NetworkVersion.objects.count() == 0
    assert "Geef de versie een naam" in response.content.decode()


def test_the_map_on_a_past_date(personas: Personas) -> None:
    personas.make_worker_lead()
    household, worker = personas.household, personas.worker
    today = timezone.localdate()
    add(household, worker, "Oud", added_on=today - dt.timedelta(days=100))
    add(household, worker, "Nieuw", added_on=today - dt.timedelta(days=5))
    past = (today - dt.timedelta(days=50)).strftime("%d-%m-%Y")
    body = client_for(worker).get(urls(personas)["map"] + f"?op={past}").content.decode()
    assert body.count('class="bk-network__node"') == 1
    assert ">Oud<" in body


def test_the_print_page_is_logged_as_print(personas: Personas) -> None:
    personas.make_worker_lead()
    add(personas.household, personas.worker, "Moeder", "family")
    response = client_for(personas.worker).get(urls(personas)["print"])
    assert response.status_code == 200
    assert "bk-network-print" in response.content.decode()
    assert AuditEvent.objects.filter(actor_id=personas.worker.pk, action="print").exists()


def test_a_tie_of_another_household_is_404(personas: Personas) -> None:
    from tests import factories

    personas.make_worker_lead()
    other = factories.MembershipFactory.create()
    stranger_tie = add(other.household, personas.worker, "Els")
    client = client_for(personas.worker)
    assert client.get(urls(personas, stranger_tie.pk)["edit"]).status_code == 404
    assert client.post(urls(personas, stranger_tie.pk)["end"]).status_code == 404


def test_the_map_page_keeps_its_query_count(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    personas.make_worker_lead()
    story_two(personas.household, personas.worker)
    client = client_for(personas.worker)
    client.get(urls(personas)["map"])
    with django_assert_max_num_queries(40):
        assert client.get(urls(personas)["map"]).status_code == 200


def _tie_form(**overrides: str) -> dict[str, str]:
    values = {
        "name": "Broer Ahmed",
        "kind": "family",
        "relation": "",
        "closeness": "2",
        "quality": "strong",
        "energy": "neutral",
        "contact": "contacted",
        "phone": "",
        "note": "",
    }
    values.update(overrides)
    return values


def test_two_tabs_on_one_tie_lose_no_change(personas: Personas) -> None:
    """Issue 15, finding 9: the second of two tabs overwrote the first without a word."""
    personas.make_worker_lead()
    tie = add(personas.household, personas.worker, "Broer Ahmed", "family")
    url = urls(personas, tie.pk)["edit"]
    first, second = client_for(personas.worker), client_for(personas.team_leader)
    tab_one = opened_at(first.get(url).content.decode())
    tab_two = opened_at(second.get(url).content.decode())

    assert first.post(url, {**_tie_form(relation="broer"), **tab_one}).status_code == 302
    response = second.post(url, {**_tie_form(note="Belt elke zondag"), **tab_two})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Iemand anders heeft dit gewijzigd terwijl u eraan werkte" in page
    assert "Relatie: “(leeg)” werd “broer”" in page
    assert "Belt elke zondag" in page  # what the second user typed is kept
    assert 'id="error-summary"' in page
    tie.refresh_from_db()
    assert (tie.relation, tie.note, tie.version) == ("broer", "", 2)

    # Having seen what changed, the second user saves again on purpose.
    again = opened_at(page)
    assert again["version"] == "2"
    response = second.post(url, {**_tie_form(relation="broer", note="Belt elke zondag"), **again})
    assert response.status_code == 302
    tie.refresh_from_db()
    assert (tie.relation, tie.note, tie.version) == ("broer", "Belt elke zondag", 3)


def test_an_open_edit_form_does_not_undo_do_not_contact(personas: Personas) -> None:
    personas.make_worker_lead()
    tie = add(personas.household, personas.worker, "Oom Kees", "family")
    url = urls(personas, tie.pk)["edit"]
    worker = client_for(personas.worker)
    opened = opened_at(worker.get(url).content.decode())
    # Meanwhile the resident says: do not approach him.
    resident = client_for(personas.resident)
    assert resident.post(urls(personas, tie.pk)["dnc"], {"value": "1"}).status_code == 302
    response = worker.post(url, {**_tie_form(name="Oom Kees", phone="0612345678"), **opened})
    assert response.status_code == 400
    assert "“nee” werd “ja”" in response.content.decode()  # do not contact, now on
    tie.refresh_from_db()
    assert tie.do_not_contact and tie.phone == ""
