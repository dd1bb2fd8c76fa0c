"""Writing the social map: validation in Dutch, opening hours, moderation, the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from buurtkracht.audit.models import AuditEvent
from buurtkracht.socialmap.models import Resource
from buurtkracht.socialmap.services import (
    ResourceInput,
    hours_parse,
    resource_accept,
    resource_input_of,
    resource_propose,
    resource_reject,
    resource_update,
)
from tests import factories
from tests.socialmap.helpers import community_worker, entry

pytestmark = pytest.mark.django_db


def test_an_entry_with_a_place_and_opening_hours() -> None:
    user = community_worker()
    resource = entry(
        user,
        address="Kerkplein 3",
        postcode="7401ab",
        city="Lindenhoven",
        opening_hours="ma 9:00-12:00, do 13.30-16:00",
    )
    place = resource.places.get()
    assert place.location.postcode == "7401AB"
    assert [(h.weekday, h.opens_at, h.closes_at) for h in place.hours.all()] == [
        (1, dt.time(9), dt.time(12)),
        (4, dt.time(13, 30), dt.time(16)),
    ]
    assert resource.status == Resource.Status.PUBLISHED
    assert resource.whole_municipality
    event = AuditEvent.objects.get(object_id=str(resource.pk))
    assert event.action == "create" and event.subject_ids == []


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("maandag", "is niet duidelijk"),
        ("ma 12:00-9:00", "na de openingstijd"),
        ("xx 9:00-10:00", "xx"),
    ],
)
def test_bad_opening_hours_are_refused_with_the_part_named(text: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as error:
        hours_parse(text)
    assert fragment in " ".join(error.value.messages)


def test_missing_fields_and_bad_ages_are_named() -> None:
    user = community_worker()
    with pytest.raises(ValidationError) as error:
        entry(user, name=" ", description="", age_min=70, age_max=12, life_domains=["nope"])
    assert set(error.value.message_dict) == {"name", "description", "age_max", "life_domains"}
    assert Resource.objects.count() == 0


def test_update_keeps_the_checked_date_unless_the_form_changes_it() -> None:
    user = community_worker()
    old = timezone.localdate() - dt.timedelta(days=500)
    resource = entry(user, verified_on=old)
    data = resource_input_of(resource)
    data.description = "Nieuwe tekst"
    resource_update(resource=resource, data=data, user=user)
    resource.refresh_from_db()
    assert resource.verified_on == old and resource.is_stale
    assert resource.description == "Nieuwe tekst"


def test_neighbourhoods_limit_the_area() -> None:
    user = community_worker()
    area = factories.NeighbourhoodFactory.create(name="Lindenbuurt")
    resource = entry(user, neighbourhoods=[area])
    assert not resource.whole_municipality
    assert list(resource.neighbourhoods.all()) == [area]


def test_a_proposal_waits_and_is_accepted_or_rejected() -> None:
    moderator = community_worker()
    volunteer = factories.UserFactory.create(username="vrijwilliger", roles=["volunteer"])
    data = ResourceInput(
        name="Wandelclub", provider_name="Bewoners Lindenstraat", description="Samen wandelen"
    )
    first = resource_propose(data=data, user=volunteer)
    assert first.status == Resource.Status.PROPOSED and first.proposed_by == volunteer
    accepted = resource_accept(resource=first, user=moderator)
    assert accepted.status == Resource.Status.PUBLISHED
    assert accepted.verified_on == timezone.localdate() and accepted.moderated_by == moderator
    with pytest.raises(ValidationError):
        resource_accept(resource=accepted, user=moderator)

    second = resource_propose(data=data, user=volunteer)
    with pytest.raises(ValidationError) as error:
        resource_reject(resource=second, reason=" ", user=moderator)
    assert "reason" in error.value.message_dict
    rejected = resource_reject(resource=second, reason="Bestaat al", user=moderator)
    assert rejected.status == Resource.Status.REJECTED and rejected.rejection_reason == "Bestaat al"
    assert AuditEvent.objects.filter(object_id=str(second.pk), reason="Bestaat al").exists()
