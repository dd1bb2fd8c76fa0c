"""Writing in the dilemma log: who may, what is refused, and what a lesson does to the
dilemma's status. Every write is in the audit log without a resident."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from buurtkracht.audit.models import AuditEvent
from buurtkracht.core.versioning import ChangedMeanwhile
from buurtkracht.dilemmas.models import AgendaItem, Dilemma, ReflectionMeeting
from buurtkracht.dilemmas.services import (
    agenda_item_add,
    dilemma_create,
    lessons_record,
    reflection_meeting_create,
)
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_a_worker_writes_a_dilemma_with_its_values(personas: Personas, dilemma: Dilemma) -> None:
    assert dilemma.team.name == "Team Oost"
    assert sorted(dilemma.tags.values_list("value", flat=True)) == [
        "child_interest",
        "own_strength",
        "safety",
    ]
    assert dilemma.is_open
    event = AuditEvent.objects.get(object_type="dilemmas.Dilemma", object_id=str(dilemma.pk))
    assert event.actor_id == personas.worker.pk
    assert not event.subjects.exists()


def test_someone_outside_the_team_writes_nothing(personas: Personas) -> None:
    team = personas.worker.team_memberships.get().team
    for outsider in (personas.colleague, personas.outside_professional, personas.circle_member):
        with pytest.raises(PermissionDenied):
            dilemma_create(
                team=team,
                title="t",
                description="d",
                values=["safety", "privacy"],
                user=outsider,
            )
    assert not Dilemma.objects.exists()


def test_identifiers_and_too_few_values_are_refused_together(personas: Personas) -> None:
    with pytest.raises(ValidationError) as refused:
        dilemma_create(
            team=personas.worker.team_memberships.get().team,
            title="Woont op 1234 AB",
            description="Geboren 03-04-1985, BSN 111222333.",
            values=["safety"],
            user=personas.worker,
        )
    errors = refused.value.message_dict
    assert set(errors) == {"title", "description", "values"}
    assert len(errors["description"]) == 2
    assert not Dilemma.objects.exists()


def test_a_meeting_discusses_a_dilemma_and_closes_it(
    personas: Personas, dilemma: Dilemma, meeting: ReflectionMeeting
) -> None:
    item = agenda_item_add(meeting=meeting, dilemma=dilemma, user=personas.worker)
    with pytest.raises(ValidationError):
        agenda_item_add(meeting=meeting, dilemma=dilemma, user=personas.worker)
    lessons_record(
        item=item,
        lessons="Veiligheid van de kinderen gaat voor; eigen kracht zoeken in het netwerk.",
        outcome=AgendaItem.Outcome.CLOSED,
        user=personas.team_leader,
        expected_version=item.version,
    )
    dilemma.refresh_from_db()
    assert dilemma.status == Dilemma.Status.CLOSED
    # A closed dilemma goes on no new agenda.
    later = reflection_meeting_create(
        team=meeting.team,
        held_on=timezone.localdate() + dt.timedelta(days=14),
        starts_at=dt.time(9, 30),
        facilitator="Ilse",
        user=personas.worker,
    )
    with pytest.raises(ValidationError):
        agenda_item_add(meeting=later, dilemma=dilemma, user=personas.worker)


def test_keeping_it_open_reopens_and_the_second_editor_is_told(
    personas: Personas, dilemma: Dilemma, meeting: ReflectionMeeting
) -> None:
    item = agenda_item_add(meeting=meeting, dilemma=dilemma, user=personas.worker)
    opened = item.version
    lessons_record(
        item=item, lessons="Eerst", outcome="closed", user=personas.worker, expected_version=opened
    )
    with pytest.raises(ChangedMeanwhile):
        lessons_record(
            item=AgendaItem.objects.get(pk=item.pk),
            lessons="Tegelijk",
            outcome="kept_open",
            user=personas.team_leader,
            expected_version=opened,
        )
    lessons_record(
        item=AgendaItem.objects.get(pk=item.pk),
        lessons="Toch nog niet klaar",
        outcome="kept_open",
        user=personas.team_leader,
    )
    dilemma.refresh_from_db()
    assert dilemma.is_open
    assert AgendaItem.objects.get(pk=item.pk).lessons == "Toch nog niet klaar"


def test_lessons_wait_for_the_meeting_day_and_stay_anonymous(
    personas: Personas, dilemma: Dilemma
) -> None:
    future = reflection_meeting_create(
        team=dilemma.team,
        held_on=timezone.localdate() + dt.timedelta(days=7),
        starts_at=dt.time(14, 0),
        facilitator="Ilse",
        user=personas.worker,
    )
    item = agenda_item_add(meeting=future, dilemma=dilemma, user=personas.worker)
    with pytest.raises(ValidationError) as refused:
        lessons_record(item=item, lessons="Goed", outcome="closed", user=personas.worker)
    assert "lessons" in refused.value.message_dict
    future.held_on = timezone.localdate()
    future.save()
    item.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        lessons_record(
            item=item, lessons="Mevrouw van 1234 AB", outcome="closed", user=personas.worker
        )
    assert refused.value.message_dict["lessons"]


def test_a_dilemma_of_another_team_goes_on_no_agenda(
    personas: Personas, meeting: ReflectionMeeting
) -> None:
    west = personas.colleague.team_memberships.get().team
    other = dilemma_create(
        team=west,
        title="Wens of belang van derden",
        description="De buren klagen, de bewoner wil blijven.",
        values=["resident_wish", "third_parties"],
        user=personas.colleague,
    )
    with pytest.raises(ValidationError):
        agenda_item_add(meeting=meeting, dilemma=other, user=personas.worker)
