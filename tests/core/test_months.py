"""A period of one month as the law counts it (AVG art. 12(3), EU Regulation 1182/71)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from buurtkracht.core.months import months_after
from buurtkracht.households.rights import data_request_create
from tests.clock import at_each_awkward_instant
from tests.conftest import Personas


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (dt.date(2027, 1, 31), dt.date(2027, 2, 28)),
        (dt.date(2028, 1, 31), dt.date(2028, 2, 29)),
        (dt.date(2028, 1, 29), dt.date(2028, 2, 29)),
        (dt.date(2028, 2, 29), dt.date(2028, 3, 29)),
        (dt.date(2027, 3, 31), dt.date(2027, 4, 30)),
        (dt.date(2027, 12, 31), dt.date(2028, 1, 31)),
        (dt.date(2027, 12, 15), dt.date(2028, 1, 15)),
        (dt.date(2027, 8, 31), dt.date(2027, 9, 30)),
    ],
)
def test_one_month_after(start: dt.date, due: dt.date) -> None:
    assert months_after(start) == due


def test_more_months_and_back() -> None:
    assert months_after(dt.date(2027, 10, 31), 4) == dt.date(2028, 2, 29)
    assert months_after(dt.date(2027, 3, 31), -1) == dt.date(2027, 2, 28)


@pytest.mark.django_db
@at_each_awkward_instant
def test_a_request_counts_from_its_amsterdam_date(
    clock_instant: dt.datetime, personas: Personas
) -> None:
    person = personas.household.members.get()
    made = data_request_create(person=person, user=personas.resident, kind="access")
    day = timezone.localdate(made.requested_at)
    assert made.due_on == months_after(day)
    assert made.due_on > day
    assert (made.due_on - day).days in range(28, 32)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("utc", "due"),
    [
        # 23:59 on 31 January in Amsterdam: counts from 31 January.
        (dt.datetime(2027, 1, 31, 22, 59, tzinfo=dt.UTC), dt.date(2027, 2, 28)),
        # 00:30 on 1 February in Amsterdam (still 31 January in UTC): from 1 February.
        (dt.datetime(2027, 1, 31, 23, 30, tzinfo=dt.UTC), dt.date(2027, 3, 1)),
        # A leap year: 31 January 2028 gives 29 February.
        (dt.datetime(2028, 1, 31, 12, 0, tzinfo=dt.UTC), dt.date(2028, 2, 29)),
    ],
)
def test_the_deadline_at_a_month_end(personas: Personas, utc: dt.datetime, due: dt.date) -> None:
    person = personas.household.members.get()
    with time_machine.travel(utc, tick=False):
        made = data_request_create(person=person, user=personas.resident, kind="access")
    assert made.due_on == due
