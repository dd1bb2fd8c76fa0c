"""Self-assessment (issue 19, item 3): the resident fills in their own mark per life
domain and their own view on the self-reliance matrix; it is recorded as the resident's
view about themselves, today, and shows beside the worker's view."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from buurtkracht.audit.models import AuditEvent
from buurtkracht.outcomes.models import Assessment
from tests.clock import at_each_awkward_instant
from tests.conftest import Personas
from tests.outcomes.helpers import assess

pytestmark = pytest.mark.django_db


def _url(personas: Personas, code: str = "own_score") -> str:
    return f"/huishoudens/{personas.household.pk}/voortgang/zelf/{code}/"


def _resident(personas: Personas) -> Client:
    client = Client()
    client.force_login(personas.resident)
    return client


@at_each_awkward_instant
def test_the_resident_scores_themselves_and_it_is_their_own_view_of_today(
    personas: Personas, clock_instant: dt.datetime
) -> None:
    personas.make_worker_lead()
    client = _resident(personas)
    progress = client.get(f"/huishoudens/{personas.household.pk}/voortgang/").content.decode()
    assert _url(personas) in progress and _url(personas, "zrm") in progress
    assert "participation_ladder" not in progress.split("voortgang/zelf/")[-1][:30]

    response = client.post(
        _url(personas), {"item_finances": "4", "item_housing": "8", "note": "Het gaat beter."}
    )
    assert response.status_code == 302
    own = Assessment.objects.get()
    assert own.perspective == Assessment.Perspective.RESIDENT
    assert own.person == personas.resident.person
    assert own.by == personas.resident
    assert own.held_on == timezone.localdate()
    assert own.scores == {"finances": 4, "housing": 8}
    assert own.note == "Het gaat beter."
    assert AuditEvent.objects.filter(
        actor_id=personas.resident.pk, action="create", ground="own_data"
    ).exists()


def test_it_shows_beside_the_workers_view(personas: Personas) -> None:
    personas.make_worker_lead()
    assess(
        personas.household,
        personas.worker,
        held_on=dt.date(2026, 1, 10),
        scores={"finances": 2},
        person=personas.resident.person,
    )
    _resident(personas).post(_url(personas, "zrm"), {"item_finances": "4"})
    worker = Client()
    worker.force_login(personas.worker)
    page = worker.get(
        f"/huishoudens/{personas.household.pk}/voortgang/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "The worker" in page or "worker's view" in page.lower()
    assert "own view" in page.lower()
    assert _url(personas) not in page  # the worker records in the conversation instead


def test_an_empty_form_is_refused_and_nothing_is_saved(personas: Personas) -> None:
    response = _resident(personas).post(_url(personas), {"note": "Weet ik nog niet."})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kies bij minstens één onderdeel een niveau." in page
    assert "Weet ik nog niet." in page
    assert not Assessment.objects.exists()


def test_only_the_resident_and_only_the_own_instruments(personas: Personas) -> None:
    personas.make_worker_lead()
    client = _resident(personas)
    assert client.get(_url(personas, "participation_ladder")).status_code == 404
    assert client.get(_url(personas, "no_such_thing")).status_code == 404
    for user in (personas.worker, personas.team_leader, personas.colleague):
        other = Client()
        other.force_login(user)
        assert other.post(_url(personas), {"item_finances": "4"}).status_code == 404
    assert not Assessment.objects.exists()
