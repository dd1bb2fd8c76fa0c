"""Services of the network map: validation, ended ties, versions and comparison."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from buurtkracht.audit.models import AuditEvent
from buurtkracht.network.models import Tie
from buurtkracht.network.queries import compare, ties_on, version_states
from buurtkracht.network.services import (
    tie_add,
    tie_end,
    tie_set_do_not_contact,
    tie_update,
    version_save,
)
from tests import factories
from tests.conftest import Personas
from tests.network.helpers import add, centre, story_two

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> object:
    with translation.override("en"):
        yield


def test_a_tie_needs_a_name_and_a_kind_and_valid_choices(personas: Personas) -> None:
    household, worker = personas.household, personas.worker
    with pytest.raises(ValidationError) as caught:
        tie_add(
            household=household,
            person=centre(household),
            name="  ",
            kind="enemy",
            support=["money!"],
            closeness=7,
            quality="great",
            phone="123",
            user=worker,
        )
    errors = caught.value.message_dict
    assert set(errors) == {"name", "kind", "support", "closeness", "quality", "phone"}
    assert "as the resident says it" in errors["name"][0].lower() or errors["name"]
    assert Tie.objects.count() == 0


def test_the_centre_must_live_in_the_household(personas: Personas) -> None:
    stranger = factories.PersonFactory.create()
    with pytest.raises(ValidationError) as caught:
        tie_add(
            household=personas.household,
            person=stranger,
            name="Els",
            kind="family",
            user=personas.worker,
        )
    assert "person" in caught.value.message_dict


def test_not_in_the_future(personas: Personas) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        add(personas.household, personas.worker, "Els", added_on=tomorrow)


def test_adding_normalises_the_phone_and_logs_with_the_residents(personas: Personas) -> None:
    tie = add(personas.household, personas.worker, "Els", phone="06 1234 5678")
    assert tie.phone == "0612345678"
    event = (
        AuditEvent.objects.filter(action="create", object_type__icontains="tie")
        .order_by("sequence")
        .last()
    )
    assert event is not None
    assert list(event.subjects.values_list("person_id", flat=True)) == [
        centre(personas.household).pk
    ]


def test_an_ended_tie_stays_in_history_and_leaves_the_map(personas: Personas) -> None:
    household, worker = personas.household, personas.worker
    today = timezone.localdate()
    tie = add(household, worker, "Buurman", "neighbour", added_on=today - dt.timedelta(days=50))
    with pytest.raises(ValidationError):
        tie_end(tie=tie, ended_on=today - dt.timedelta(days=60), user=worker)
    tie_end(tie=tie, ended_on=today - dt.timedelta(days=10), reason="verhuisd", user=worker)
    tie.refresh_from_db()
    assert tie.ended_on == today - dt.timedelta(days=10)
    person = centre(household)
    assert list(ties_on(household, person)) == []
    assert list(ties_on(household, person, today - dt.timedelta(days=20))) == [tie]
    assert list(ties_on(household, person, today - dt.timedelta(days=60))) == []
    with pytest.raises(ValidationError):
        tie_end(tie=tie, user=worker)
    with pytest.raises(ValidationError):
        tie_update(tie=tie, name="Buurman", kind="neighbour", user=worker)
    assert Tie.objects.count() == 1  # never deleted


def test_update_changes_now_and_the_version_keeps_then(personas: Personas) -> None:
    household, worker = personas.household, personas.worker
    tie = add(household, worker, "Mirjam", "family", quality="strained")
    before = version_save(household=household, person=centre(household), label="A", user=worker)
    tie_update(
        tie=tie,
        name="Mirjam",
        kind="family",
        relation="zus",
        quality="strong",
        support=["emotional"],
        user=worker,
    )
    after = version_save(household=household, person=centre(household), label="B", user=worker)
    result = compare(version_states(before), version_states(after))
    assert result.added == [] and result.ended == []
    [changed] = result.changed
    attributes = {c.attribute: (c.before, c.after) for c in changed.changes}
    assert attributes["quality"] == ("strained", "strong")
    assert attributes["relation"] == ("—", "zus")
    assert "support" in attributes
    event = AuditEvent.objects.filter(details__change="tie changed").get()
    assert set(event.details["fields"]) >= {"quality", "relation", "support"}


def test_story_two_from_two_ties_to_seven(personas: Personas) -> None:
    intake, review = story_two(personas.household, personas.worker)
    assert len(intake.ties) == 2
    assert len(review.ties) == 7
    result = compare(version_states(intake), version_states(review))
    assert len(result.added) == 5
    assert result.restored_after == 2
    assert result.unchanged == 2
    assert "phone" not in review.ties[0]


def test_a_version_needs_a_name_and_a_date_not_in_the_future(personas: Personas) -> None:
    household = personas.household
    with pytest.raises(ValidationError) as caught:
        version_save(
            household=household,
            person=centre(household),
            label="",
            saved_on=timezone.localdate() + dt.timedelta(days=3),
            user=personas.worker,
        )
    assert set(caught.value.message_dict) == {"label", "saved_on"}


def test_a_version_on_a_past_date_holds_the_ties_of_that_date(personas: Personas) -> None:
    household, worker = personas.household, personas.worker
    today = timezone.localdate()
    add(household, worker, "Oud", added_on=today - dt.timedelta(days=100))
    add(household, worker, "Nieuw", added_on=today - dt.timedelta(days=5))
    version = version_save(
        household=household,
        person=centre(household),
        label="Terug",
        saved_on=today - dt.timedelta(days=50),
        user=worker,
    )
    assert [t["name"] for t in version.ties] == ["Oud"]


def test_compare_shows_ended_ties(personas: Personas) -> None:
    household, worker = personas.household, personas.worker
    tie = add(household, worker, "Buurman", "neighbour")
    a = version_save(household=household, person=centre(household), label="A", user=worker)
    tie_end(tie=tie, user=worker)
    b = version_save(household=household, person=centre(household), label="B", user=worker)
    result = compare(version_states(a), version_states(b))
    assert [t.name for t in result.ended] == ["Buurman"]


def test_do_not_contact_is_logged(personas: Personas) -> None:
    tie = add(personas.household, personas.worker, "Vader", "family")
    tie_set_do_not_contact(tie=tie, do_not_contact=True, user=personas.resident, ground="own_data")
    tie.refresh_from_db()
    assert tie.do_not_contact
    assert AuditEvent.objects.filter(
        actor_id=personas.resident.pk, details__change="do not contact", ground="own_data"
    ).exists()


def test_a_save_on_an_old_version_is_refused_and_changes_nothing(personas: Personas) -> None:
    """The service decides between two saves at the same moment: the second is refused."""
    from buurtkracht.core.versioning import ChangedMeanwhile
    from buurtkracht.network.services import tie_update

    personas.make_worker_lead()
    tie = add(personas.household, personas.worker, "Buurman Piet", "neighbour")
    first, second = Tie.objects.get(pk=tie.pk), Tie.objects.get(pk=tie.pk)
    tie_update(
        tie=first,
        user=personas.worker,
        name="Buurman Piet",
        kind="neighbour",
        relation="nr. 12",
        expected_version=1,
    )
    with pytest.raises(ChangedMeanwhile):
        tie_update(
            tie=second, user=personas.colleague, name="Piet", kind="neighbour", expected_version=1
        )
    tie.refresh_from_db()
    assert (tie.name, tie.relation, tie.version) == ("Buurman Piet", "nr. 12", 2)
