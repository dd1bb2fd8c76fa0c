"""Consent: recorded per purpose, checked before sharing, withdrawn at once, logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtkracht.audit.models import Action, AuditEvent
from buurtkracht.households.consent import (
    ConsentMissing,
    consent_record,
    consent_require,
    consent_withdraw,
)
from buurtkracht.households.models import Consent
from tests import factories
from tests.conftest import Personas

pytestmark = pytest.mark.django_db
Purpose = Consent.Purpose


def test_sharing_needs_consent_and_the_message_says_how_to_record_it(personas: Personas) -> None:
    person = personas.household.members.get()
    corporation = factories.OrganisationFactory.create(name="Woonstichting De Linde")
    with pytest.raises(ConsentMissing) as excinfo:
        consent_require(
            person=person, purpose=Purpose.SHARE_WITH_ORGANISATION, organisation=corporation
        )
    message = excinfo.value.messages[0]
    assert "Woonstichting De Linde" in message
    assert "Toestemming" in message  # where to record it

    consent_record(
        person=person,
        purpose=Purpose.SHARE_WITH_ORGANISATION,
        organisation=corporation,
        given=True,
        method=Consent.Method.SPOKEN,
        recorded_by=personas.worker,
    )
    assert consent_require(
        person=person, purpose=Purpose.SHARE_WITH_ORGANISATION, organisation=corporation
    ).given
    # Consent for one organisation is not consent for another.
    with pytest.raises(ConsentMissing):
        consent_require(
            person=person,
            purpose=Purpose.SHARE_WITH_ORGANISATION,
            organisation=factories.OrganisationFactory.create(),
        )


def test_withdrawal_takes_effect_immediately_and_is_logged(personas: Personas) -> None:
    person = personas.household.members.get()
    consent = consent_record(
        person=person,
        purpose=Purpose.INVOLVE_NETWORK_MEMBER,
        counterpart="Broer Mehmet",
        given=True,
        method=Consent.Method.WRITTEN,
        recorded_by=personas.worker,
    )
    assert consent_require(
        person=person, purpose=Purpose.INVOLVE_NETWORK_MEMBER, counterpart="broer mehmet"
    )
    consent_withdraw(consent=consent, recorded_by=personas.worker, method=Consent.Method.SPOKEN)
    with pytest.raises(ConsentMissing) as excinfo:
        consent_require(
            person=person, purpose=Purpose.INVOLVE_NETWORK_MEMBER, counterpart="Broer Mehmet"
        )
    assert "ingetrokken" in excinfo.value.messages[0]
    changes = AuditEvent.objects.filter(action=Action.CONSENT_CHANGE).order_by("sequence")
    assert [e.details["given"] for e in changes] == [True, False]
    assert all(list(e.subjects.values_list("person_id", flat=True)) == [person.pk] for e in changes)


def test_expired_consent_does_not_count(personas: Personas) -> None:
    person = personas.household.members.get()
    consent = consent_record(
        person=person,
        purpose=Purpose.STORY_IN_REPORT,
        given=True,
        method=Consent.Method.ONLINE,
        recorded_by=personas.worker,
        valid_until=timezone.localdate() + dt.timedelta(days=10),
    )
    Consent.objects.filter(pk=consent.pk).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    with pytest.raises(ConsentMissing) as excinfo:
        consent_require(person=person, purpose=Purpose.STORY_IN_REPORT)
    assert "verlopen" in excinfo.value.messages[0]


def test_incomplete_consent_gets_a_message_per_field(personas: Personas) -> None:
    person = personas.household.members.get()
    with pytest.raises(ValidationError) as excinfo:
        consent_record(
            person=person,
            purpose=Purpose.SHARE_WITH_VOLUNTEER,
            given=True,
            method="fax",
            recorded_by=personas.worker,
            valid_until=dt.date(2000, 1, 1),
        )
    assert set(excinfo.value.message_dict) == {"method", "counterpart", "valid_until"}
    assert not Consent.objects.exists()


def test_consent_page_records_and_withdraws(client: Client, personas: Personas) -> None:
    personas.make_worker_lead()
    person = personas.household.members.get()
    client.force_login(personas.worker)
    url = reverse("households:consents", args=[personas.household.pk])
    response = client.post(
        url,
        {
            "person": person.pk,
            "purpose": Purpose.SHARE_WITH_VOLUNTEER,
            "given": "1",
            "method": "spoken",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Schrijf de naam" in page
    assert not Consent.objects.exists()

    response = client.post(
        url,
        {
            "person": person.pk,
            "purpose": Purpose.SHARE_WITH_VOLUNTEER,
            "counterpart": "Maatje Joke",
            "given": "1",
            "method": "spoken",
        },
        follow=True,
    )
    assert "Toestemming vastgelegd." in response.content.decode()
    consent = Consent.objects.get()
    assert consent.recorded_by == personas.worker

    client.post(
        reverse("households:consent-withdraw", args=[personas.household.pk, consent.pk]),
        {"method": "written"},
    )
    with pytest.raises(ConsentMissing):
        consent_require(
            person=person, purpose=Purpose.SHARE_WITH_VOLUNTEER, counterpart="Maatje Joke"
        )


def test_resident_reads_but_does_not_record_here(client: Client, personas: Personas) -> None:
    client.force_login(personas.resident)
    url = reverse("households:consents", args=[personas.household.pk])
    assert client.get(url).status_code == 200
    person = personas.household.members.get()
    response = client.post(
        url,
        {"person": person.pk, "purpose": Purpose.STORY_IN_REPORT, "given": "1", "method": "online"},
    )
    assert response.status_code == 404
    assert not Consent.objects.exists()


def test_outsider_cannot_reach_consents(client: Client, personas: Personas) -> None:
    client.force_login(personas.colleague)
    assert (
        client.get(reverse("households:consents", args=[personas.household.pk])).status_code == 404
    )
