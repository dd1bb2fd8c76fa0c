"""Warm referrals: consent first, the status moves forward, every open step has a date to
check again, ending needs a reason, and every write is logged with the resident."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from buurtkracht.audit.models import AuditEvent
from buurtkracht.households.consent import ConsentMissing, Purpose, consent_record
from buurtkracht.outcomes.reports import Period, referrals_started_per_resource
from buurtkracht.referrals.models import Referral, ReferralStep
from buurtkracht.referrals.queries import referral_worklist
from buurtkracht.referrals.services import next_statuses, referral_advance
from buurtkracht.socialmap.models import Provider
from tests.conftest import Personas
from tests.referrals.helpers import in_days, make_world, propose

pytestmark = pytest.mark.django_db
S = Referral.Status


def test_without_consent_nothing_is_saved_and_the_message_says_what_to_do(
    personas: Personas,
) -> None:
    world = make_world(personas, consent=False)
    with pytest.raises(ConsentMissing) as raised:
        propose(personas, world)
    message = raised.value.messages[0]
    assert world.person.full_name in message
    assert "Schuldhulp Lindenhoven" in message
    assert not Referral.objects.exists()
    assert not ReferralStep.objects.exists()


def test_withdrawn_consent_stops_the_next_step_but_not_ending_it(personas: Personas) -> None:
    world = make_world(personas)
    referral = propose(personas, world)
    consent_record(
        person=world.person,
        purpose=Purpose.SHARE_WITH_ORGANISATION,
        given=False,
        method="spoken",
        recorded_by=personas.worker,
        organisation=world.organisation,
    )
    with pytest.raises(ConsentMissing):
        referral_advance(
            referral=referral, status=S.CONTACTED, user=personas.worker, follow_up_on=in_days(3)
        )
    referral = referral_advance(
        referral=referral,
        status=S.NOT_STARTED,
        user=personas.worker,
        reason="Wil het toch niet delen.",
    )
    assert referral.status == S.NOT_STARTED


def test_informal_help_without_an_organisation_needs_no_organisation_consent(
    personas: Personas,
) -> None:
    world = make_world(personas, consent=False)
    Provider.objects.filter(pk=world.resource.provider_id).update(organisation=None)
    world.resource.refresh_from_db()
    referral = propose(personas, world)
    assert referral.status == S.PROPOSED


def test_a_named_professional_needs_an_organisation_and_its_consent(
    personas: Personas,
) -> None:
    world = make_world(personas)
    with pytest.raises(ValidationError) as raised:
        propose(personas, world, resource=None, professional_name="Anja de Vries")
    assert "organisation" in raised.value.message_dict
    referral = propose(
        personas,
        world,
        resource=None,
        professional_name="Anja de Vries",
        organisation=world.organisation,
    )
    assert referral.target_name == "Anja de Vries, Schuldhulp Lindenhoven"
    with pytest.raises(ValidationError) as raised:
        propose(personas, world, resource=None)
    assert "resource" in raised.value.message_dict


def test_the_path_moves_forward_with_a_date_to_check_at_every_open_step(
    personas: Personas,
) -> None:
    world = make_world(personas)
    referral = propose(personas, world)
    assert next_statuses(referral)[0] == S.CONTACTED
    with pytest.raises(ValidationError) as raised:
        referral_advance(referral=referral, status=S.CONTACTED, user=personas.worker)
    assert "follow_up_on" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        referral_advance(
            referral=referral,
            status=S.CONTACTED,
            user=personas.worker,
            follow_up_on=timezone.localdate() - dt.timedelta(days=1),
        )
    assert "follow_up_on" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        referral_advance(
            referral=referral,
            status=S.APPOINTMENT_MADE,
            user=personas.worker,
            follow_up_on=in_days(3),
        )
    assert "appointment_on" in raised.value.message_dict
    appointment = timezone.now() + dt.timedelta(days=2)
    for status in (S.CONTACTED, S.APPOINTMENT_MADE, S.ACCOMPANIED, S.KEPT):
        referral = referral_advance(
            referral=referral,
            status=status,
            user=personas.worker,
            follow_up_on=in_days(3),
            appointment_at=appointment if status == S.APPOINTMENT_MADE else None,
        )
    # Backwards is not a step of the hand-over.
    with pytest.raises(ValidationError):
        referral_advance(
            referral=referral, status=S.CONTACTED, user=personas.worker, follow_up_on=in_days(3)
        )
    referral = referral_advance(referral=referral, status=S.STARTED, user=personas.worker)
    assert referral.follow_up_on is None
    assert referral.appointment_at is not None
    assert list(referral.steps.values_list("to_status", flat=True)) == [
        S.PROPOSED,
        S.CONTACTED,
        S.APPOINTMENT_MADE,
        S.ACCOMPANIED,
        S.KEPT,
        S.STARTED,
    ]
    assert next_statuses(referral) == []
    with pytest.raises(ValidationError):
        referral_advance(referral=referral, status=S.DROPPED_OUT, user=personas.worker, reason="x")


def test_steps_may_be_skipped_and_ending_needs_a_reason(personas: Personas) -> None:
    world = make_world(personas)
    referral = propose(personas, world)
    referral = referral_advance(
        referral=referral, status=S.KEPT, user=personas.worker, follow_up_on=in_days(5)
    )
    with pytest.raises(ValidationError) as raised:
        referral_advance(referral=referral, status=S.DROPPED_OUT, user=personas.worker)
    assert "reason" in raised.value.message_dict
    referral = referral_advance(
        referral=referral,
        status=S.DROPPED_OUT,
        user=personas.worker,
        reason="Twee keer niet gekomen.",
    )
    assert referral.reason == "Twee keer niet gekomen."
    assert referral.steps.last().note == "Twee keer niet gekomen."  # type: ignore[union-attr]


def test_every_write_is_logged_with_the_resident(personas: Personas) -> None:
    world = make_world(personas)
    referral = propose(personas, world)
    referral_advance(
        referral=referral, status=S.CONTACTED, user=personas.worker, follow_up_on=in_days(3)
    )
    events = AuditEvent.objects.filter(
        object_type="referrals.Referral", object_id=str(referral.pk)
    ).order_by("sequence")
    assert [e.action for e in events] == ["create", "update"]
    for event in events:
        assert event.actor_id == personas.worker.pk
        assert list(event.subjects.values_list("person_id", flat=True)) == [world.person.pk]


def test_worklist_shows_overdue_checks_and_recent_drop_outs(personas: Personas) -> None:
    world = make_world(personas)
    overdue = propose(personas, world)
    Referral.objects.filter(pk=overdue.pk).update(follow_up_on=in_days(-2))
    propose(personas, world)  # checked in a week: not yet on the list
    dropped = propose(personas, world)
    referral_advance(
        referral=dropped, status=S.DROPPED_OUT, user=personas.worker, reason="Verhuisd."
    )
    old = propose(personas, world)
    referral_advance(referral=old, status=S.NOT_STARTED, user=personas.worker, reason="Oud.")
    Referral.objects.filter(pk=old.pk).update(
        status_changed_at=timezone.now() - dt.timedelta(days=40)
    )
    work = referral_worklist(personas.worker)
    assert [r.pk for r in work.overdue] == [overdue.pk]
    assert [r.pk for r in work.dropped] == [dropped.pk]
    # Another team's worker is not involved: nothing on their list.
    assert not referral_worklist(personas.colleague)


def test_started_per_resource_counts_the_referrals_that_started(personas: Personas) -> None:
    world = make_world(personas)
    for _ in range(2):
        referral = propose(personas, world)
        referral_advance(referral=referral, status=S.STARTED, user=personas.worker)
    propose(personas, world)
    today = timezone.localdate()
    counts = referrals_started_per_resource(Period(today - dt.timedelta(days=30), today))
    assert counts == {world.resource.pk: 2}
    assert referrals_started_per_resource(Period(today, today), area_ids=[]) == {}
