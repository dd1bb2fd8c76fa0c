"""The shipped instruments, versioning, and the rules of an assessment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from buurtkracht.audit.models import AuditEvent
from buurtkracht.casework.models import LifeDomain
from buurtkracht.outcomes.models import Assessment, Instrument
from buurtkracht.outcomes.services import assessment_record, instrument_version_create
from tests.conftest import Personas
from tests.outcomes.helpers import assess, version_of

pytestmark = pytest.mark.django_db


def test_three_instruments_ship_with_their_items_and_scales() -> None:
    assert set(Instrument.objects.values_list("code", flat=True)) >= {
        "zrm",
        "participation_ladder",
        "own_score",
    }
    zrm = version_of("zrm")
    assert [item["code"] for item in zrm.items] == [
        "finances",
        "work",
        "housing",
        "family",
        "mental_health",
        "physical_health",
        "addiction",
        "daily_living",
        "social_network",
        "participation",
        "justice",
    ]
    assert {item["code"] for item in zrm.items} == set(LifeDomain.values)
    assert zrm.scale_values() == [1, 2, 3, 4, 5]
    assert zrm.scale[0]["label"] == "Acuut probleem"
    assert zrm.scale[-1]["label"] == "Volledig zelfredzaam"
    assert all(level["description"] for level in zrm.scale)

    ladder = version_of("participation_ladder")
    assert len(ladder.items) == 1
    assert [level["label"] for level in ladder.scale] == [
        "Geïsoleerd",
        "Sociale contacten buiten huis",
        "Georganiseerde activiteiten",
        "Onbetaald werk",
        "Betaald werk met ondersteuning",
        "Betaald werk",
    ]

    own = version_of("own_score")
    assert own.scale_values() == list(range(1, 11))
    assert [item["code"] for item in own.items] == [item["code"] for item in zrm.items]


def test_a_new_version_leaves_past_assessments_unchanged(personas: Personas) -> None:
    personas.make_worker_lead()
    old = assess(personas.household, personas.worker, scores={"finances": 2})
    zrm = Instrument.objects.get(code="zrm")
    before = version_of("zrm")
    new = instrument_version_create(
        instrument=zrm,
        items=[{"code": "finances", "label": "Geld", "description": "Nieuw"}],
        scale=[{"value": v, "label": f"Niveau {v}", "description": ""} for v in range(1, 6)],
    )
    assert new.number == before.number + 1
    assert version_of("zrm") == new
    old.refresh_from_db()
    assert old.instrument_version == before
    assert old.instrument_version.items[0]["label"] == "Financiën"
    assert old.scores == {"finances": 2}
    before.refresh_from_db()
    assert before.active is False
    assert before.items[0]["label"] == "Financiën"


def test_every_score_is_checked_against_the_scale_with_a_message_per_item(
    personas: Personas,
) -> None:
    with pytest.raises(ValidationError) as caught:
        assessment_record(
            household=personas.household,
            instrument_version=version_of("zrm"),
            moment="intake",
            perspective="worker",
            held_on=timezone.localdate() + dt.timedelta(days=1),
            scores={"finances": 7, "housing": "x", "justice": 3},
            user=personas.worker,
        )
    errors = caught.value.message_dict
    assert set(errors) == {"item_finances", "item_housing", "held_on"}
    assert "Financiën" in errors["item_finances"][0]
    assert "Huisvesting" in errors["item_housing"][0]
    assert Assessment.objects.count() == 0


def test_an_empty_assessment_and_unknown_items_are_refused(personas: Personas) -> None:
    for scores in ({}, {"finances": None}, {"unknown": 3}):
        with pytest.raises(ValidationError) as caught:
            assess(personas.household, personas.worker, scores=scores)
        assert "scores" in caught.value.message_dict


def test_the_moment_and_perspective_must_be_known(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        assess(personas.household, personas.worker, moment="later", perspective="neighbour")
    assert set(caught.value.message_dict) == {"moment", "perspective"}


def test_a_person_must_live_in_the_household(personas: Personas) -> None:
    from tests import factories

    stranger = factories.PersonFactory.create()
    with pytest.raises(ValidationError) as caught:
        assessment_record(
            household=personas.household,
            instrument_version=version_of("participation_ladder"),
            moment="intake",
            perspective="worker",
            held_on=dt.date(2026, 3, 1),
            scores={"rung": 1},
            user=personas.worker,
            person=stranger,
        )
    assert "person" in caught.value.message_dict


def test_recording_writes_an_audit_event_on_the_residents(personas: Personas) -> None:
    assessment = assess(personas.household, personas.worker, scores={"finances": "3"})
    assert assessment.scores == {"finances": 3}
    event = AuditEvent.objects.filter(action="create", actor_id=personas.worker.pk).latest(
        "sequence"
    )
    assert event.details["instrument"] == "zrm"
    assert event.details["perspective"] == "worker"
    member_ids = set(personas.household.current_member_ids())
    assert set(event.subjects.values_list("person_id", flat=True)) == member_ids


def test_the_functional_admin_configures_instruments_but_never_sees_assessments(
    personas: Personas,
) -> None:
    from django.contrib import admin
    from django.test import Client
    from django.urls import reverse

    assert Assessment not in admin.site._registry
    client = Client()
    client.force_login(personas.functional_admin)
    for url in (
        "admin:outcomes_instrument_changelist",
        "admin:outcomes_instrumentversion_changelist",
    ):
        response = client.get(reverse(url))
        assert response.status_code == 200
    assert "Zelfredzaamheidsmatrix" in client.get(reverse(url)).content.decode()
    assert client.get("/beheer/outcomes/assessment/").status_code == 404


def test_the_spider_chart_draws_only_the_domains_that_were_scored() -> None:
    from buurtkracht.outcomes.charts import spider_chart

    items = [{"code": f"d{n}", "label": f"Domein {n}"} for n in range(11)]
    moments = [("intake", {"d0": 2, "d1": 1, "d2": 3}), ("review", {"d0": 3, "d3": 4})]
    chart = spider_chart(items, [1, 2, 3, 4, 5], moments)
    assert [axis.label for axis in chart.axes] == ["Domein 0", "Domein 1", "Domein 2", "Domein 3"]
    # With fewer than three scored, the whole instrument keeps its shape.
    chart = spider_chart(items, [1, 2, 3, 4, 5], [("intake", {"d0": 2})])
    assert len(chart.axes) == 11
