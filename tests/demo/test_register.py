"""The demo's register goes through the BRP import: the baseline changes nothing, the
later extract brings births, a death, moves and more, and the history shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from buurtkracht.demo.generator import generate_municipality
from buurtkracht.demo.register import LATER_DAYS_AGO, register_story_create
from buurtkracht.households.models import Household, Involvement, Membership, Person, RegisterEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """A town of 400 households; the register story's outcome kept for the asserts."""
    seen: dict[str, object] = {}

    def spy(**kwargs: object) -> object:
        story = register_story_create(**kwargs)  # type: ignore[arg-type]
        seen["story"] = story
        return story

    monkeypatch.setattr("buurtkracht.demo.generator.register_story_create", spy)
    generate_municipality(seed=1, households=400, progress=False)
    return seen


def test_the_baseline_extract_changes_nothing(town: dict[str, object]) -> None:
    story = town["story"]
    counts = story.baseline.counts()  # type: ignore[attr-defined]
    assert counts["lines"] > 100
    assert counts["set_aside"] == 0
    for change in ("new", "born", "moved", "died", "renamed", "departed", "households_new"):
        assert counts[change] == 0, change
    assert counts["households_ended"] == 0
    assert counts["kept_by_worker"] == 0


def test_the_later_extract_brings_the_changes(town: dict[str, object]) -> None:
    counts = town["story"].later.counts()  # type: ignore[attr-defined]
    assert counts["set_aside"] == 0
    assert counts["born"] == 2
    assert counts["died"] == 1
    assert counts["renamed"] == 1
    assert counts["departed"] == 1
    assert counts["moved"] >= 3
    assert counts["kept_by_worker"] == 0
    assert counts["households_new"] >= 2  # the new-build homes


def test_the_history_shows_on_the_households(town: dict[str, object]) -> None:
    today = timezone.localdate()
    changed = town["story"].changed_households  # type: ignore[attr-defined]
    # A birth: the baby is a child in the household, from the day of birth.
    baby = Membership.objects.get(
        household_id=changed["birth"],
        role=Membership.Role.CHILD,
        person__register_entry__isnull=False,
        start_date__gt=today - dt.timedelta(days=60),
    )
    assert baby.person.date_of_birth == baby.start_date
    assert baby.from_register
    lead = Involvement.objects.get(
        household_id=changed["birth"], kind=Involvement.Kind.LEAD, end_date__isnull=True
    )
    assert lead.worker.username == "wijkwerker"
    # A death: the person's date of death, every membership ended that day.
    died = Person.objects.get(date_of_death__isnull=False)
    assert not Membership.objects.filter(person=died, end_date__isnull=True).exists()
    assert Membership.objects.get(person=died).end_date == died.date_of_death
    # A whole household moved: the old household ended, the file stays with it.
    old = Household.objects.get(pk=changed["move_household"])
    assert old.end_date is not None and old.end_date < today
    mover = old.memberships.order_by("pk").first()
    assert mover is not None and mover.end_date == old.end_date - dt.timedelta(days=1)
    entry = RegisterEntry.objects.get(person_id=mover.person_id)
    assert entry.address_id != old.address_id
    now = Membership.objects.get(person_id=mover.person_id, end_date__isnull=True)
    assert now.household.address_id == entry.address_id
    assert now.start_date == mover.end_date + dt.timedelta(days=1)
    # A single member moved out: ended membership in a household that goes on.
    stayed = Household.objects.get(pk=changed["move_member"])
    assert stayed.end_date is None
    assert stayed.memberships.filter(end_date__isnull=False).exists()
    assert LATER_DAYS_AGO < 21
