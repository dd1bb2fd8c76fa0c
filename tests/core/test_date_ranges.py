"""Dates people type lie in a plausible range, and a date outside it is refused with a
message that says the range (issue 13): no date of birth, agreement or signal in 1800."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtkracht.casework.forms import AgreeForm
from buurtkracht.casework.models import Intake
from buurtkracht.core import validators
from buurtkracht.signals.parsing import clean_row
from tests.casework.stories import story_one_plan
from tests.clock import at_each_awkward_instant
from tests.conftest import Personas
from tests.core.test_form_labels import _kwargs, _project_forms

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
# Filters of lists and reports: a far date only finds nothing, it records nothing.
FILTER_FORMS = {"LogFilterForm", "MonitorFilterForm", "ReportFilterForm"}
# Checked by the service behind the form, with its own words for a date in the future.
CHECKED_BY_SERVICE = {"IntakeForm.date_of_birth"}  # intake_create


def day(value: dt.date) -> str:
    return value.strftime("%d-%m-%Y")


@pytest.mark.parametrize(
    "dates",
    [
        validators.DATE_OF_BIRTH,
        validators.HAPPENED,
        validators.PLANNED,
        validators.SIGNAL_DATE,
        validators.END_OF_SUPPLY,
        validators.CONSENT_VALID_UNTIL,
        validators.VOTING_DATE,
    ],
)
@at_each_awkward_instant
def test_the_first_and_last_day_are_in_and_the_days_beyond_are_out(
    dates: validators.DateRange, clock_instant: dt.datetime
) -> None:
    today = timezone.localdate()
    assert today == clock_instant.date()  # the person's day, in Amsterdam
    earliest, latest = dates.bounds()
    assert earliest <= today <= latest
    for fine in (earliest, today, latest):
        dates(fine)
    for wrong in (earliest - DAY, latest + DAY):
        with pytest.raises(ValidationError) as refused:
            dates(wrong)
        message = refused.value.messages[0]
        assert day(wrong) in message
        assert day(earliest) in message if earliest != today else "vandaag" in message
        assert day(latest) in message if latest != today else "vandaag" in message


@at_each_awkward_instant
def test_a_date_of_birth_today_is_possible_and_tomorrow_is_not(
    clock_instant: dt.datetime,
) -> None:
    today = timezone.localdate()
    validators.validate_date_of_birth(today)
    with pytest.raises(ValidationError):
        validators.validate_date_of_birth(today + DAY)
    with pytest.raises(ValidationError) as refused:
        validators.validate_date_of_birth(dt.date(1800, 1, 1))
    earliest = dt.date(today.year - validators.OLDEST_PLAUSIBLE_AGE, 1, 1)
    assert f"tussen {day(earliest)} en vandaag" in refused.value.messages[0]


def test_every_date_a_user_types_refuses_1800_and_2206(personas: Personas) -> None:
    kwargs = _kwargs(personas)
    checked = []
    for cls in _project_forms():
        if cls.__name__ in FILTER_FORMS:
            continue
        try:
            form = cls(**kwargs.get(cls.__name__, dict)())
        except TypeError:
            continue  # built from model objects; their date fields are listed below
        for name, field in form.fields.items():
            if isinstance(field, forms.DateField):
                if f"{cls.__name__}.{name}" in CHECKED_BY_SERVICE:
                    continue
                for far in (dt.date(1800, 1, 1), dt.date(2206, 1, 1)):
                    with pytest.raises(ValidationError):
                        field.clean(far)
                checked.append(f"{cls.__name__}.{name}")
    for expected in (
        "AgreeForm.agreed_on",
        "ReviewForm.held_on",
        "ActionForm.due_date",
        "AppointmentForm.date",
    ):
        assert expected in checked
    assert len(checked) >= 20


def test_an_agreement_in_1800_is_refused_with_the_range(personas: Personas) -> None:
    form = AgreeForm({"agreed_on": "22-11-1800", "how": "spoken"})
    assert not form.is_valid()
    earliest = dt.date(timezone.localdate().year - 10, 1, 1)
    assert form.errors["agreed_on"] == [
        f"De datum 22-11-1800 ligt te ver terug. Vul een datum in tussen {day(earliest)} "
        "en vandaag."
    ]


def test_the_plan_page_refuses_an_agreement_in_1800_and_keeps_it(
    client: Client, personas: Personas
) -> None:
    personas.make_worker_lead()
    plan = story_one_plan(personas)
    client.force_login(personas.worker)
    response = client.post(
        reverse("casework:plan", args=[personas.household.pk]),
        {"what": "agree", "agreed_on": "22-11-1800", "how": "spoken"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "ligt te ver terug" in html
    assert 'value="22-11-1800"' in html  # what the worker typed is kept to correct
    plan.refresh_from_db()
    assert plan.agreed_on is None


def test_an_intake_with_a_date_of_birth_in_1800_is_refused(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.worker)
    response = client.post(
        reverse("casework:intake-new"),
        {"description": "Zorgen", "name": "Mevrouw Jansen", "date_of_birth": "03-07-1800"},
    )
    assert response.status_code == 400
    assert "ouder zijn dan 120 jaar" in response.content.decode()
    assert not Intake.objects.exists()


@at_each_awkward_instant
def test_a_signal_row_from_1800_is_set_aside_with_the_range(clock_instant: dt.datetime) -> None:
    today = timezone.localdate()
    row = {
        "partner_reference": "W-1",
        "signal_date": "15-01-1800",
        "surname": "Yilmaz",
        "postcode": "1234 AB",
        "house_number": "12",
        "amount": "120,00",
        "end_of_supply_date": "01-01-2206",
    }
    signal, errors = clean_row(row, today=today)
    assert signal is None
    by_field = {error.field: error.message for error in errors}
    earliest = dt.date(today.year - 2, 1, 1)
    assert f"tussen {day(earliest)} en vandaag" in by_field["signal_date"]
    assert "01-01-2206" in by_field["end_of_supply_date"]
    # The first day of the range is still taken in.
    signal, errors = clean_row(
        {**row, "signal_date": day(earliest), "end_of_supply_date": ""}, today=today
    )
    assert errors == [] and signal is not None
