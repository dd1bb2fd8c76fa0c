"""The services of volunteer requests: validation, consent before a match, visits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from buurtkracht.accounts.models import Role
from buurtkracht.audit.models import AuditEvent, Ground
from buurtkracht.households.consent import ConsentMissing, Purpose, consent_record
from buurtkracht.volunteering.models import Visit, VolunteerRequest, duration_label
from buurtkracht.volunteering.queries import average_time_to_match
from buurtkracht.volunteering.services import (
    visit_record,
    volunteer_name,
    volunteer_request_end,
    volunteer_request_match,
)
from tests import factories
from tests.conftest import Personas
from tests.volunteering.helpers import ask, consent_for, coordinator, matched, resident_of

pytestmark = pytest.mark.django_db
Status = VolunteerRequest.Status


def test_a_request_needs_what_is_asked_and_a_resident_of_the_household(
    personas: Personas,
) -> None:
    with pytest.raises(ValidationError) as error:
        ask(personas, asked="  ", kind="pets")
    assert set(error.value.message_dict) == {"asked", "kind"}
    stranger = factories.PersonFactory.create()
    with pytest.raises(ValidationError) as error:
        ask(personas, person=stranger)
    assert "person" in error.value.message_dict
    assert VolunteerRequest.objects.count() == 0


def test_sharing_a_phone_number_needs_one_in_the_file(personas: Personas) -> None:
    person = personas.household.members.get()
    person.phone = ""
    person.save()
    with pytest.raises(ValidationError) as error:
        ask(personas, share_phone=True)
    assert "share_phone" in error.value.message_dict


def test_a_request_is_logged_with_the_resident_and_the_team(personas: Personas) -> None:
    vrequest = ask(personas)
    assert vrequest.status == Status.OPEN
    assert vrequest.team is not None and vrequest.team.name == "Team Oost"
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert event.subject_ids == [vrequest.person_id]
    assert event.action == "create"
    assert event.ground == Ground.INVOLVEMENT


def test_matching_without_consent_fails_clearly_and_saves_nothing(personas: Personas) -> None:
    vrequest = ask(personas)
    before = AuditEvent.objects.count()
    with pytest.raises(ConsentMissing) as error:
        volunteer_request_match(
            vrequest=vrequest, volunteer=personas.volunteer, matched_by=coordinator()
        )
    assert volunteer_name(personas.volunteer) in error.value.messages[0]
    assert "Consent" in error.value.messages[0] or "Toestemming" in error.value.messages[0]
    vrequest.refresh_from_db()
    assert vrequest.status == Status.OPEN
    assert vrequest.volunteer is None and vrequest.matched_at is None
    assert AuditEvent.objects.count() == before


def test_consent_for_another_volunteer_or_withdrawn_consent_does_not_count(
    personas: Personas,
) -> None:
    vrequest = ask(personas)
    other = factories.UserFactory.create(
        first_name="Piet", last_name="Anders", roles=[Role.VOLUNTEER]
    )
    consent_for(vrequest.person, other, personas.worker)
    with pytest.raises(ConsentMissing):
        volunteer_request_match(
            vrequest=vrequest, volunteer=personas.volunteer, matched_by=coordinator()
        )
    consent_for(vrequest.person, personas.volunteer, personas.worker)
    consent_record(
        person=vrequest.person,
        purpose=Purpose.SHARE_WITH_VOLUNTEER,
        given=False,
        method="spoken",
        recorded_by=personas.worker,
        counterpart=volunteer_name(personas.volunteer),
    )
    with pytest.raises(ConsentMissing):
        volunteer_request_match(
            vrequest=vrequest, volunteer=personas.volunteer, matched_by=coordinator()
        )


def test_only_a_coordinator_matches_and_only_with_a_volunteer(personas: Personas) -> None:
    vrequest = ask(personas)
    consent_for(vrequest.person, personas.worker, personas.worker)
    with pytest.raises(ValidationError):
        volunteer_request_match(
            vrequest=vrequest, volunteer=personas.volunteer, matched_by=personas.worker
        )
    with pytest.raises(ValidationError) as error:
        volunteer_request_match(
            vrequest=vrequest, volunteer=personas.worker, matched_by=coordinator()
        )
    assert "volunteer" in error.value.message_dict


def test_a_match_records_who_when_and_the_time_to_match(personas: Personas) -> None:
    vrequest = ask(personas)
    VolunteerRequest.objects.filter(pk=vrequest.pk).update(
        requested_at=timezone.now() - dt.timedelta(days=3, hours=5)
    )
    vrequest.refresh_from_db()
    consent_for(vrequest.person, personas.volunteer, personas.worker)
    matcher = coordinator()
    vrequest = volunteer_request_match(
        vrequest=vrequest, volunteer=personas.volunteer, matched_by=matcher
    )
    assert vrequest.status == Status.MATCHED
    assert vrequest.matched_by == matcher
    assert vrequest.time_to_match is not None
    assert dt.timedelta(days=3, hours=5) <= vrequest.time_to_match < dt.timedelta(days=3, hours=6)
    assert vrequest.time_to_match_label == "3 dagen en 5 uur"
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None and event.ground == Ground.CONSENT
    assert event.subject_ids == [vrequest.person_id]
    label, count = average_time_to_match()
    assert (label, count) == ("3 dagen en 5 uur", 1)
    with pytest.raises(ValidationError):
        volunteer_request_match(vrequest=vrequest, volunteer=personas.volunteer, matched_by=matcher)


def test_the_average_covers_the_last_three_months_only(personas: Personas) -> None:
    old = matched(personas)
    VolunteerRequest.objects.filter(pk=old.pk).update(
        requested_at=timezone.now() - dt.timedelta(days=150),
        matched_at=timezone.now() - dt.timedelta(days=120),
    )
    assert average_time_to_match() == ("", 0)


def test_duration_labels_are_plain_dutch() -> None:
    assert duration_label(dt.timedelta(minutes=20)) == "minder dan een uur"
    assert duration_label(dt.timedelta(hours=1)) == "1 uur"
    assert duration_label(dt.timedelta(days=1)) == "1 dag"
    assert duration_label(dt.timedelta(days=2, hours=1)) == "2 dagen en 1 uur"


def test_visits_are_checked_and_only_by_the_matched_volunteer(personas: Personas) -> None:
    vrequest = matched(personas)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        visit_record(
            vrequest=vrequest,
            volunteer=personas.volunteer,
            date=today + dt.timedelta(days=1),
            minutes=0,
            note="x" * 301,
        )
    assert set(error.value.message_dict) == {"date", "minutes", "note"}
    with pytest.raises(ValidationError) as error:
        visit_record(
            vrequest=vrequest,
            volunteer=personas.volunteer,
            date=today,
            minutes=60,
            worker_should_know=True,
        )
    assert "note" in error.value.message_dict
    other = factories.UserFactory.create(roles=[Role.VOLUNTEER])
    with pytest.raises(ValidationError):
        visit_record(vrequest=vrequest, volunteer=other, date=today, minutes=60)
    visit = visit_record(
        vrequest=vrequest,
        volunteer=personas.volunteer,
        date=today,
        minutes=90,
        note="Naar de markt gelopen.",
    )
    assert visit.minutes == 90
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None and event.subject_ids == [vrequest.person_id]
    assert Visit.objects.count() == 1


def test_ending_a_match_needs_a_reason_and_stops_visits(personas: Personas) -> None:
    vrequest = matched(personas)
    with pytest.raises(ValidationError):
        volunteer_request_end(
            vrequest=vrequest, reason=" ", ended_by=personas.worker, ground="involvement"
        )
    volunteer_request_end(
        vrequest=vrequest,
        reason="Ze gaat verhuizen.",
        ended_by=personas.worker,
        ground="involvement",
    )
    assert vrequest.status == Status.ENDED and vrequest.ended_at is not None
    with pytest.raises(ValidationError):
        visit_record(
            vrequest=vrequest, volunteer=personas.volunteer, date=timezone.localdate(), minutes=30
        )
    open_request = ask(personas)
    volunteer_request_end(
        vrequest=open_request,
        reason="Buurvrouw helpt al.",
        ended_by=personas.worker,
        ground="involvement",
    )
    assert open_request.status == Status.WITHDRAWN


def test_resident_helper_is_synthetic(personas: Personas) -> None:
    assert resident_of(personas).surname == "Yılmazoğlu"
