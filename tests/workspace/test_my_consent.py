"""Consent online (issue 19, item 4): the resident gives, limits and withdraws their own
consent; the register, the services that check it and the worker follow at once; a
withdrawal says first what happens next; nobody else can use these pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import AuditEvent, Ground
from buurtkracht.households.consent import ConsentMissing, Purpose, consent_current
from buurtkracht.households.models import Consent
from buurtkracht.notifications.kinds import Kind
from buurtkracht.notifications.models import Notification
from buurtkracht.referrals.models import Referral
from buurtkracht.referrals.services import referral_advance
from tests import factories
from tests.conftest import Personas
from tests.referrals.helpers import in_days, make_world, propose

pytestmark = pytest.mark.django_db


def _resident(personas: Personas) -> Client:
    client = Client()
    client.force_login(personas.resident)
    return client


def _page(personas: Personas) -> str:
    return reverse("workspace:my-consent", args=[personas.household.pk])


def test_a_resident_withdraws_online_and_the_referral_goes_no_further(
    personas: Personas,
) -> None:
    world = make_world(personas)
    referral = propose(personas, world)
    consent = consent_current(
        person=world.person,
        purpose=Purpose.SHARE_WITH_ORGANISATION,
        organisation=world.organisation,
    )
    assert consent is not None
    client = _resident(personas)
    url = reverse("workspace:my-consent-withdraw", args=[personas.household.pk, consent.pk])

    # First what happens next, with the referral that stops.
    page = client.get(url).content.decode()
    assert "Wat er dan gebeurt" in page
    assert "Schuldhulpverlening" in page and "gaat niet verder" in page
    assert (
        consent_current(
            person=world.person,
            purpose=Purpose.SHARE_WITH_ORGANISATION,
            organisation=world.organisation,
        )
        == consent
    )

    response = client.post(url)
    assert response.status_code == 302
    now = consent_current(
        person=world.person,
        purpose=Purpose.SHARE_WITH_ORGANISATION,
        organisation=world.organisation,
    )
    assert now is not None and not now.given
    assert now.method == Consent.Method.ONLINE and now.recorded_by == personas.resident
    with pytest.raises(ConsentMissing):
        referral_advance(
            referral=referral,
            status=Referral.Status.CONTACTED,
            user=personas.worker,
            follow_up_on=in_days(3),
        )
    # The worker is told, in words that name nobody.
    told = Notification.objects.get(recipient=personas.worker, kind=Kind.CONSENT_CHANGED)
    assert world.person.surname not in str(told.text)
    assert told.link == reverse("households:consents", args=[personas.household.pk])
    # And it is logged as a change of consent by the resident, about themselves.
    change = AuditEvent.objects.filter(
        action=AuditAction.CONSENT_CHANGE, actor_id=personas.resident.pk
    ).latest("pk")
    assert change.ground == Ground.CONSENT
    assert change.subject_ids == [world.person.pk]
    assert change.details["method"] == Consent.Method.ONLINE


def test_a_resident_gives_consent_online_and_it_counts_at_once(personas: Personas) -> None:
    personas.make_worker_lead()
    library = factories.OrganisationFactory.create(name="Bibliotheek Lindenhoven")
    response = _resident(personas).post(
        _page(personas),
        {"purpose": Purpose.SHARE_WITH_ORGANISATION, "organisation": library.pk},
    )
    assert response.status_code == 302
    person = personas.household.members.get()
    consent = consent_current(
        person=person, purpose=Purpose.SHARE_WITH_ORGANISATION, organisation=library
    )
    assert consent is not None and consent.given and consent.valid_until is None
    assert Notification.objects.filter(
        recipient=personas.worker, kind=Kind.CONSENT_CHANGED
    ).exists()


def test_giving_without_saying_with_whom_is_refused_and_keeps_what_was_typed(
    personas: Personas,
) -> None:
    response = _resident(personas).post(
        _page(personas),
        {"purpose": Purpose.SHARE_WITH_VOLUNTEER, "valid_until": "31-12-2099"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Controleer het formulier" in page
    assert 'value="31-12-2099"' in page
    assert not Consent.objects.exists()


def test_a_resident_lets_a_consent_end_on_a_date(personas: Personas) -> None:
    world = make_world(personas)
    consent = Consent.objects.get(person=world.person)
    url = reverse("workspace:my-consent-limit", args=[personas.household.pk, consent.pk])
    client = _resident(personas)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    refused = client.post(url, {"limit-valid_until": yesterday.strftime("%d-%m-%Y")})
    assert refused.status_code == 200
    assert yesterday.strftime("%d-%m-%Y") in refused.content.decode()
    assert Consent.objects.filter(person=world.person).count() == 1

    last_day = timezone.localdate() + dt.timedelta(days=30)
    assert client.post(url, {"limit-valid_until": last_day.strftime("%d-%m-%Y")}).status_code == 302
    now = consent_current(
        person=world.person,
        purpose=Purpose.SHARE_WITH_ORGANISATION,
        organisation=world.organisation,
    )
    assert now is not None and now.given and now.valid_until == last_day
    # A consent that no longer decides cannot be limited again.
    assert client.post(url, {"limit-valid_until": last_day.strftime("%d-%m-%Y")}).status_code == 200
    assert Consent.objects.filter(person=world.person).count() == 2


def test_only_the_resident_themselves_reaches_these_pages(personas: Personas) -> None:
    world = make_world(personas)
    partner = factories.MembershipFactory.create(household=personas.household).person
    partners_consent = Consent.objects.create(
        person=partner,
        purpose=Purpose.STORY_IN_REPORT,
        given=True,
        method=Consent.Method.SPOKEN,
        recorded_at=timezone.now(),
        recorded_by=personas.worker,
    )
    own = Consent.objects.get(person=world.person)
    resident = _resident(personas)
    # Another member's consent: the partner decides for themselves.
    for name in ("workspace:my-consent-withdraw", "workspace:my-consent-limit"):
        url = reverse(name, args=[personas.household.pk, partners_consent.pk])
        assert resident.post(url, {"limit-valid_until": "31-12-2099"}).status_code == 404
    assert consent_current(person=partner, purpose=Purpose.STORY_IN_REPORT) == partners_consent
    # Another household: not theirs.
    other = factories.HouseholdFactory.create()
    assert resident.get(reverse("workspace:my-consent", args=[other.pk])).status_code == 404
    # The worker records consent on the file's consent page, not on the resident's.
    worker = Client()
    worker.force_login(personas.worker)
    assert worker.get(_page(personas)).status_code == 404
    withdraw = reverse("workspace:my-consent-withdraw", args=[personas.household.pk, own.pk])
    assert worker.post(withdraw).status_code == 404
    assert Consent.objects.filter(person=world.person).count() == 1
