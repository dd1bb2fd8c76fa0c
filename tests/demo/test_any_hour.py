"""The demo can be generated at any hour of any day (issue 13): at 03:20 the first run
used to stop because the outreach booked contact attempts at 10:00 today. Generated at
each awkward instant (tests/clock.py), the town is whole and nothing in it lies in the
future: the demo records only what has already happened."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.utils import timezone

from buurtkracht.casework.models import Intake
from buurtkracht.demo.generator import generate_municipality
from buurtkracht.households.models import Household
from buurtkracht.initiatives.models import Initiative
from buurtkracht.signals.models import ContactAttempt, Delivery, Report
from buurtkracht.socialmap.models import Resource
from tests.clock import at_each_awkward_instant

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Moments that are about the future by nature: an appointment made, an access that runs
# out, a round that closes. Every other recorded moment must have happened.
FUTURE_BY_NATURE = {
    "appointment_at",
    "starts_at",  # a planned appointment (casework.Appointment); demo.clock.days_ahead
    "expires_at",
    "closes_at",
    "ends_at",
    "valid_until",
    "locked_until",
}


def rows_before() -> dict[type[models.Model], list[object]]:
    """The rows there before the demo (the migrations' shipped instruments and settings),
    which carry the moment the test database was made, not a moment of the demo."""
    return {
        model: list(model._default_manager.values_list("pk", flat=True))
        for model in apps.get_models()
    }


def moments_in_the_future(
    now: dt.datetime, before: dict[type[models.Model], list[object]]
) -> list[str]:
    found = []
    for model in apps.get_models():
        rows = model._default_manager.exclude(pk__in=before.get(model, []))
        for field in model._meta.get_fields():
            if not isinstance(field, models.DateTimeField) or field.name in FUTURE_BY_NATURE:
                continue
            latest = rows.aggregate(latest=models.Max(field.name))["latest"]
            if latest is not None and latest > now:
                found.append(f"{model._meta.label}.{field.name} = {latest.isoformat()}")
    return found


def days_of(model: type[models.Model], field: str) -> int:
    """On how many different Amsterdam days the moments in `field` fall."""
    moments = model._default_manager.exclude(**{field: None}).values_list(field, flat=True)
    return len({timezone.localtime(moment).date() for moment in moments})


@at_each_awkward_instant
def test_the_demo_is_generated_whole_at_any_instant(clock_instant: dt.datetime) -> None:
    before = rows_before()
    report = generate_municipality(seed=1, households=80, progress=False)
    now = timezone.now()

    assert report.households == 80
    # Every part of the town is there, not half of it.
    assert Household.objects.filter(involvements__isnull=False).exists()
    assert ContactAttempt.objects.exists()
    assert Resource.objects.exists()
    assert Initiative.objects.exists()
    assert moments_in_the_future(now, before) == []
    # Spread over time as real work is, not all stamped with the moment of generation.
    assert days_of(Delivery, "received_at") >= 6
    assert days_of(Report, "closed_at") >= 10
    assert days_of(Intake, "created_at") >= 3

    client = Client()
    assert client.get("/accounts/login/").status_code == 200
    assert client.login(username="wijkwerker", password="buurtkracht-demo")
    home = client.get("/")
    assert home.status_code == 200
    assert "Team Oost" in home.content.decode()
