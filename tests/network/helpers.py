"""Story 2 as test data: a map that grows from two ties to seven."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from buurtkracht.households.models import Household, Person
from buurtkracht.network.models import NetworkVersion, Tie
from buurtkracht.network.services import tie_add, version_save


def centre(household: Household) -> Person:
    person = household.members.order_by("pk").first()
    assert person is not None
    return person


def add(household: Household, user: Any, name: str, kind: str = "friend", **fields: Any) -> Tie:
    return tie_add(
        household=household, person=centre(household), name=name, kind=kind, user=user, **fields
    )


def story_two(household: Household, user: Any) -> tuple[NetworkVersion, NetworkVersion]:
    """Two ties at the intake a year ago; seven now, two of them restored contacts."""
    today = timezone.localdate()
    year_ago = today - dt.timedelta(days=360)
    add(household, user, "Moeder", "family", closeness=1, support=["care"], added_on=year_ago)
    add(household, user, "Sanne", "professional", support=["advice"], added_on=year_ago)
    intake = version_save(
        household=household, person=centre(household), label="Intake", saved_on=year_ago, user=user
    )
    later = today - dt.timedelta(days=100)
    add(household, user, "Ruud", "professional", relation="kwartiermaker", added_on=later)
    add(household, user, "Herstelgroep", "peer", support=["emotional"], added_on=later)
    add(household, user, "Repair Café", "initiative", support=["company"], added_on=later)
    add(household, user, "Mirjam", "family", relation="zus", restored=True, added_on=later)
    add(household, user, "Dennis", "friend", restored=True, quality="weak", added_on=later)
    review = version_save(
        household=household, person=centre(household), label="Evaluatie", user=user
    )
    return intake, review
