"""Voortgang: who may see and record, what is logged, and what the pictures contain."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from buurtkracht.audit.models import AuditEvent
from buurtkracht.outcomes.models import Assessment
from tests.conftest import Personas
from tests.outcomes.helpers import assess

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def progress_url(personas: Personas) -> str:
    return f"/huishoudens/{personas.household.pk}/voortgang/"


def new_url(personas: Personas, code: str = "zrm") -> str:
    return f"/huishoudens/{personas.household.pk}/voortgang/nieuw/{code}/"


def two_moments(personas: Personas) -> None:
    household, worker = personas.household, personas.worker
    assess(household, worker, held_on=dt.date(2026, 1, 10), scores={"finances": 2, "housing": 3})
    assess(
        household,
        worker,
        held_on=dt.date(2026, 4, 10),
        moment=Assessment.Moment.REVIEW,
        scores={"finances": 4, "housing": 3},
    )
    assess(
        household,
        worker,
        held_on=dt.date(2026, 1, 10),
        perspective=Assessment.Perspective.RESIDENT,
        scores={"finances": 1, "housing": 4},
    )


def test_anonymous_visitors_are_sent_to_login(client: Client, personas: Personas) -> None:
    for url in (progress_url(personas), new_url(personas)):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_outsiders_get_404_on_every_page_and_post(personas: Personas) -> None:
    for user in (personas.colleague, personas.volunteer, personas.policy_advisor):
        client = client_for(user)
        assert client.get(progress_url(personas)).status_code == 404
        assert client.get(new_url(personas)).status_code == 404
        response = client.post(new_url(personas), {"item_finances": "3"})
        assert response.status_code == 404
    assert Assessment.objects.count() == 0
    refused = AuditEvent.objects.filter(actor_id=personas.colleague.pk, allowed=False)
    assert refused.count() == 3


def test_the_resident_sees_their_own_progress_but_cannot_record(personas: Personas) -> None:
    personas.make_worker_lead()
    two_moments(personas)
    client = client_for(personas.resident)
    response = client.get(progress_url(personas), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Your progress" in body
    assert "Your own view" in body
    assert "where you started" in body
    # Not a grade: no "x/5" anywhere.
    assert not re.search(r"\d\s*/\s*5", body)
    assert "Niet zelfredzaam" in body
    assert "/voortgang/nieuw/" not in body
    assert client.get(new_url(personas)).status_code == 404
    assert client.post(new_url(personas), {"item_finances": "3"}).status_code == 404
    assert AuditEvent.objects.filter(
        actor_id=personas.resident.pk, action="read", allowed=True, ground="own_data"
    ).exists()


def test_the_team_leader_and_the_lead_worker_see_the_page(personas: Personas) -> None:
    personas.make_worker_lead()
    for user in (personas.worker, personas.team_leader):
        response = client_for(user).get(progress_url(personas))
        assert response.status_code == 200
        assert new_url(personas) in response.content.decode()


def test_the_household_page_links_to_progress(personas: Personas) -> None:
    personas.make_worker_lead()
    response = client_for(personas.worker).get(f"/huishoudens/{personas.household.pk}/")
    assert progress_url(personas) in response.content.decode()


def test_the_spider_chart_has_a_polygon_per_moment_with_earlier_ones_faint(
    personas: Personas,
) -> None:
    personas.make_worker_lead()
    two_moments(personas)
    body = client_for(personas.worker).get(progress_url(personas)).content.decode()
    worker_chart = body[body.index('<svg class="bk-spider"') :]
    worker_chart = worker_chart[: worker_chart.index("</svg>")]
    outlines = re.findall(r"<polygon class=\"bk-spider__outline ([^\"]+)\"[^>]*>", worker_chart)
    assert outlines == ["bk-spider__earlier", "bk-spider__latest"]
    earlier = re.search(r"<polygon class=\"bk-spider__outline bk-spider__earlier\"[^>]*>", body)
    assert earlier is not None
    assert 'stroke-opacity="0.6"' in earlier.group(0)
    assert "stroke-dasharray" in earlier.group(0)
    assert 'role="img" aria-labelledby="zrm-household-worker-title' in worker_chart
    assert re.search(r'points="[\d. ,]+"', worker_chart)  # never localised decimals
    assert "<title" in worker_chart and "<desc" in worker_chart
    # The values in words as well: in the description and in the table.
    assert "Financiën 2 (Niet zelfredzaam)" in worker_chart
    assert "Financiën 4 (Voldoende zelfredzaam)" in worker_chart
    assert "4. Voldoende zelfredzaam" in body
    # The resident's own view is shown too, next to the worker's.
    assert 'aria-labelledby="zrm-household-resident-title' in body
    assert "1. Acuut probleem" in body


def test_the_ladder_shows_the_path_taken(personas: Personas) -> None:
    personas.make_worker_lead()
    for day, rung in ((dt.date(2026, 1, 5), 1), (dt.date(2026, 6, 5), 2), (dt.date(2026, 9, 5), 3)):
        assess(
            personas.household,
            personas.worker,
            code="participation_ladder",
            held_on=day,
            scores={"rung": rung},
        )
    body = client_for(personas.worker).get(progress_url(personas)).content.decode()
    assert body.count('class="bk-ladder__point"') == 3
    path = re.search(r'class="bk-ladder__path" d="([^"]+)"', body)
    assert path is not None and path.group(1).startswith("M") and path.group(1).count("H") == 2
    assert "3. Georganiseerde activiteiten" in body
    assert "1. Geïsoleerd" in body


def test_recording_an_assessment_through_the_form(personas: Personas) -> None:
    personas.make_worker_lead()
    client = client_for(personas.worker)
    assert client.get(new_url(personas)).status_code == 200
    response = client.post(
        new_url(personas),
        {
            "item_finances": "2",
            "item_housing": "4",
            "moment": "intake",
            "perspective": "resident",
            "person": "",
            "held_on": "01-03-2026",
            "note": "Samen ingevuld aan de keukentafel",
        },
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.scores == {"finances": 2, "housing": 4}
    assert assessment.perspective == "resident"
    assert assessment.person is None
    assert AuditEvent.objects.filter(
        actor_id=personas.worker.pk, action="create", allowed=True
    ).exists()


def test_errors_keep_what_was_typed(personas: Personas) -> None:
    personas.make_worker_lead()
    response = client_for(personas.worker).post(
        new_url(personas),
        {
            "item_finances": "2",
            "item_housing": "9",
            "perspective": "worker",
            "held_on": "01-03-2099",
            "note": "Mijn notitie",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert re.search(r'name="item_finances" value="2" id="[^"]+" checked', body)
    assert "Mijn notitie" in body
    assert "01-03-2099" in body
    assert Assessment.objects.count() == 0


def test_a_person_can_be_assessed_on_their_own(personas: Personas) -> None:
    personas.make_worker_lead()
    person = personas.household.members.get()
    response = client_for(personas.worker).post(
        new_url(personas, "participation_ladder"),
        {
            "item_rung": "1",
            "moment": "intake",
            "perspective": "worker",
            "person": str(person.pk),
            "held_on": "01-03-2026",
        },
    )
    assert response.status_code == 302
    assert Assessment.objects.get().person == person


def test_an_unknown_instrument_is_a_404(personas: Personas) -> None:
    personas.make_worker_lead()
    assert client_for(personas.worker).get(new_url(personas, "horoscope")).status_code == 404


def test_the_progress_page_query_count_does_not_grow(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    personas.make_worker_lead()
    client = client_for(personas.worker)
    two_moments(personas)
    with django_assert_max_num_queries(30) as few:
        client.get(progress_url(personas))
    for month in range(1, 13):
        assess(
            personas.household,
            personas.worker,
            code="own_score",
            held_on=dt.date(2025, month, 1),
            scores={"finances": month % 10 + 1},
        )
        assess(
            personas.household,
            personas.worker,
            code="participation_ladder",
            held_on=dt.date(2025, month, 2),
            scores={"rung": month % 6 + 1},
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(progress_url(personas))
    assert response.status_code == 200
