"""Small helpers for the outcomes tests: instrument versions and assessments."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

from django.apps import apps

from buurtkracht.households.models import Household
from buurtkracht.outcomes.models import Assessment, InstrumentVersion
from buurtkracht.outcomes.services import assessment_record


def shipped_instruments_load() -> None:
    """Load the shipped instruments again, for tests that flush the database (browser
    tests run in transactions that end by emptying every table, data migrations too)."""
    migration = importlib.import_module("buurtkracht.outcomes.migrations.0002_shipped_instruments")
    migration.load(apps, None)


def version_of(code: str) -> InstrumentVersion:
    return InstrumentVersion.objects.get(instrument__code=code, active=True)


def assess(
    household: Household,
    user: Any,
    *,
    code: str = "zrm",
    held_on: dt.date = dt.date(2026, 3, 1),
    moment: str = Assessment.Moment.INTAKE,
    perspective: str = Assessment.Perspective.WORKER,
    scores: dict[str, Any] | None = None,
    person: Any = None,
) -> Assessment:
    return assessment_record(
        household=household,
        instrument_version=version_of(code),
        moment=moment,
        perspective=perspective,
        held_on=held_on,
        scores=scores if scores is not None else {"finances": 2, "housing": 3},
        user=user,
        person=person,
    )
