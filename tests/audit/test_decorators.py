"""The one audited path: `@audited` records the look a view noted, once, when it answers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory

from buurtkracht.audit.decorators import audited, note_look, note_refusal
from buurtkracht.audit.models import Action, AuditEvent, Ground
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _request(personas: Personas) -> HttpRequest:
    request = RequestFactory().get("/huishoudens/1/", REMOTE_ADDR="10.0.0.7")
    request.user = personas.worker
    return request


def test_a_look_is_recorded_once_when_the_view_answers(personas: Personas) -> None:
    person = personas.household.members.get()

    @audited
    def page(request: HttpRequest) -> HttpResponse:
        note_look(
            request,
            subjects=[person.pk],
            obj=personas.household,
            ground=Ground.INVOLVEMENT,
            details={"page": "test"},
        )
        # Nothing is on record before the view has answered.
        assert not AuditEvent.objects.exists()
        return HttpResponse("ok")

    assert page(_request(personas)).status_code == 200
    event = AuditEvent.objects.get()
    assert event.action == Action.READ
    assert event.actor_id == personas.worker.pk
    assert event.subject_ids == [person.pk]
    assert event.object_id == str(personas.household.pk)
    assert event.ground == Ground.INVOLVEMENT
    assert event.allowed
    assert event.details == {"page": "test"}
    assert event.client_ip == "10.0.0.7"


def test_a_refused_view_records_no_look(personas: Personas) -> None:
    @audited
    def page(request: HttpRequest) -> HttpResponse:
        note_look(request, subjects=[1], ground=Ground.INVOLVEMENT)
        raise Http404

    with pytest.raises(Http404):
        page(_request(personas))
    assert not AuditEvent.objects.exists()


def test_a_noted_refusal_is_recorded_when_the_view_refuses(personas: Personas) -> None:
    @audited
    def page(request: HttpRequest) -> HttpResponse:
        note_refusal(request, details={"requested_id": 12})
        raise Http404

    with pytest.raises(Http404):
        page(_request(personas))
    event = AuditEvent.objects.get()
    assert (event.action, event.ground, event.allowed) == (Action.READ, Ground.NONE, False)
    assert event.subject_ids == []
    assert event.details == {"requested_id": 12}


def test_a_view_without_the_decorator_cannot_note_a_look(personas: Personas) -> None:
    with pytest.raises(ImproperlyConfigured):
        note_look(_request(personas), subjects=[1], ground=Ground.TEAM)
    assert not AuditEvent.objects.exists()
