"""Decisions under a mandate: the limits, the validity period and the grant are enforced
in the service, and each refusal says the limit and what to do instead; nothing is
written on a refusal. Registering and changing a mandate is versioned and audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from buurtkracht.audit.models import Action, AuditEvent, Ground
from buurtkracht.core.versioning import ChangedMeanwhile
from buurtkracht.mandates.models import Mandate, MandateDecision
from buurtkracht.mandates.queries import usable_mandates
from buurtkracht.mandates.services import decision_record, mandate_save
from tests import factories
from tests.conftest import Personas
from tests.mandates.helpers import make_mandate

pytestmark = pytest.mark.django_db


def _record(
    personas: Personas, mandate: Mandate, amount: int | None, **kwargs: object
) -> MandateDecision:
    person = personas.household.members.get()
    return decision_record(
        mandate=mandate,
        household=personas.household,
        person=person,
        what=str(kwargs.pop("what", "Betalingsregeling 12 maanden")),
        amount_cents=amount,
        reason=str(kwargs.pop("reason", "Achterstand door ziekte, inkomen hersteld")),
        user=kwargs.pop("user", personas.worker),  # type: ignore[arg-type]
        ground=Ground.INVOLVEMENT,
        **kwargs,  # type: ignore[arg-type]
    )


def _message(error: ValidationError) -> str:
    return " ".join(m for messages in error.message_dict.values() for m in messages)


def test_a_decision_within_the_limit_is_recorded_and_audited(personas: Personas) -> None:
    mandate = make_mandate(personas)
    decision = _record(personas, mandate, 120_000)
    assert decision.amount_cents == 120_000
    assert decision.decided_on == timezone.localdate()
    assert decision.team is not None and decision.team.name == "Team Oost"
    event = AuditEvent.objects.filter(action=Action.CREATE, object_id=str(decision.pk)).get()
    assert event.actor_id == personas.worker.pk
    assert event.on_behalf_of == "Woonstichting Test"
    assert list(event.subjects.values_list("person_id", flat=True)) == [
        personas.household.members.get().pk
    ]


def test_exactly_the_limit_is_allowed_one_cent_more_is_refused(personas: Personas) -> None:
    mandate = make_mandate(personas)
    _record(personas, mandate, 150_000)
    with pytest.raises(ValidationError) as refused:
        _record(personas, mandate, 150_001)
    message = _message(refused.value)
    assert "€ 1.500,00" in message and "€ 1.500,01" in message
    assert "Woonstichting Test" in message  # whom to ask instead
    assert MandateDecision.objects.count() == 1


def test_a_mandate_with_a_limit_needs_an_amount(personas: Personas) -> None:
    mandate = make_mandate(personas)
    with pytest.raises(ValidationError) as refused:
        _record(personas, mandate, None)
    assert "amount" in refused.value.message_dict
    assert not MandateDecision.objects.exists()


def test_a_mandate_without_an_amount_limit_records_without_an_amount(personas: Personas) -> None:
    mandate = make_mandate(
        personas, decision="Ontruimingsprocedure pauzeren", max_amount_cents=None
    )
    decision = _record(personas, mandate, None, what="Ontruiming 3 maanden gepauzeerd")
    assert decision.amount_cents is None


def test_the_yearly_limit_per_household_counts_the_decisions_of_this_year(
    personas: Personas,
) -> None:
    mandate = make_mandate(personas, max_per_household_year_cents=200_000)
    _record(personas, mandate, 150_000)
    with pytest.raises(ValidationError) as refused:
        _record(personas, mandate, 60_000)
    message = _message(refused.value)
    assert "€ 1.500,00" in message and "€ 2.000,00" in message
    _record(personas, mandate, 50_000)  # exactly up to the yearly limit
    assert MandateDecision.objects.count() == 2


def test_outside_the_validity_period_nothing_is_recorded(personas: Personas) -> None:
    today = timezone.localdate()
    ended = make_mandate(
        personas, start=today - dt.timedelta(days=60), end=today - dt.timedelta(days=1)
    )
    future = make_mandate(personas, start=today + dt.timedelta(days=1))
    for mandate in (ended, future):
        with pytest.raises(ValidationError) as refused:
            _record(personas, mandate, 10_000)
        assert "mandate" in refused.value.message_dict
        assert "Woonstichting Test" in _message(refused.value)
    assert not MandateDecision.objects.exists()
    # The last day of the period still counts.
    last_day = make_mandate(personas, start=today - dt.timedelta(days=5), end=today)
    _record(personas, last_day, 10_000)


def test_only_a_worker_of_a_team_granted_or_named_may_decide(personas: Personas) -> None:
    mandate = make_mandate(personas)
    with pytest.raises(ValidationError) as refused:
        _record(personas, mandate, 10_000, user=personas.colleague)  # another team
    assert "niet aan jou of je team gegeven" in _message(refused.value)
    named = make_mandate(personas, to_team=False)
    named.workers.add(personas.colleague)
    decision = _record(personas, named, 10_000, user=personas.colleague)
    assert decision.team is None
    assert list(usable_mandates(personas.colleague)) == [named]
    assert set(usable_mandates(personas.worker)) == {mandate}


def test_usable_mandates_are_those_valid_today(personas: Personas) -> None:
    today = timezone.localdate()
    valid = make_mandate(personas)
    make_mandate(personas, start=today - dt.timedelta(days=9), end=today - dt.timedelta(days=1))
    assert list(usable_mandates(personas.worker)) == [valid]


def test_the_resident_must_live_in_the_household(personas: Personas) -> None:
    mandate = make_mandate(personas)
    stranger = factories.PersonFactory.create()
    with pytest.raises(ValidationError):
        decision_record(
            mandate=mandate,
            household=personas.household,
            person=stranger,
            what="Regeling",
            amount_cents=100,
            reason="Reden",
            user=personas.worker,
            ground=Ground.INVOLVEMENT,
        )


def test_changing_a_mandate_is_versioned_and_audited(personas: Personas) -> None:
    mandate = Mandate(
        organisation=personas.partner_liaison.organisation,
        decision="Betalingsregeling",
        life_domain="housing",
        start_date=timezone.localdate(),
    )
    mandate_save(mandate=mandate, by=personas.functional_admin, expected_version=None)
    assert mandate.version == 1
    opened = Mandate.objects.get(pk=mandate.pk)
    other = Mandate.objects.get(pk=mandate.pk)
    other.max_amount_cents = 100_000
    mandate_save(
        mandate=other, by=personas.functional_admin, expected_version=1, changed=["max_amount"]
    )
    opened.max_amount_cents = 500_000
    with pytest.raises(ChangedMeanwhile):
        mandate_save(mandate=opened, by=personas.functional_admin, expected_version=1)
    mandate.refresh_from_db()
    assert (mandate.version, mandate.max_amount_cents) == (2, 100_000)
    events = AuditEvent.objects.filter(object_id=str(mandate.pk), object_type__icontains="mandate")
    assert [e.action for e in events.order_by("sequence")] == [Action.CREATE, Action.UPDATE]
    assert events.order_by("sequence").last().details["changed"] == ["max_amount"]  # type: ignore[union-attr]
