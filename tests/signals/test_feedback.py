"""Feedback to partners: per signal only whether contact was made and help accepted, as rows,
as a CSV file for Excel and through the API, and every fetch is logged."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from buurtkracht.audit.models import Action, AuditEvent
from buurtkracht.core.models import Organisation
from buurtkracht.signals.feedback import FEEDBACK_FIELDS, feedback_csv, feedback_rows
from buurtkracht.signals.models import ContactAttempt, Delivery, Report, Signal
from buurtkracht.signals.services import delivery_receive_rows
from buurtkracht.signals.tokens import api_token_create
from tests import factories
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

FEEDBACK_URL = "/api/v1/terugkoppeling/"
TODAY = timezone.localdate()
DAY = TODAY - dt.timedelta(days=20)
NOTE = "Mevrouw vertelde over haar schulden bij de bank"

# reference -> (report status, outcome, attempts as reached flags, expected contact, help)
CASES: dict[str, tuple[str, str, tuple[bool, ...], str, str]] = {
    "F-1": ("open", "", (), "", ""),
    "F-2": ("open", "", (False, True), "yes", ""),
    "F-3": ("open", "", (False,), "", ""),
    "F-4": ("closed", "accepted", (True,), "yes", "yes"),
    "F-5": ("closed", "declined", (), "yes", "no"),
    "F-6": ("closed", "not_reached", (False, False, False), "no", "no"),
    "F-7": ("closed", "resolved", (), "no", ""),
    "F-8": ("closed", "already_helped", (True,), "yes", "no"),
    "F-9": ("closed", "moved", (False,), "no", "no"),
}


def _corporation(personas: Personas) -> Organisation:
    organisation = personas.partner_liaison.organisation
    assert organisation is not None
    return organisation


def _row(reference: str, number: int, day: dt.date = DAY, **extra: object) -> dict[str, object]:
    return {
        "partner_reference": reference,
        "signal_date": day.isoformat(),
        "initials": "K.",
        "surname": "Kerstiëns",
        "postcode": "9990AB",
        "house_number": number,
        "amount": "950",
        **extra,
    }


def _deliver(organisation: Organisation, rows: list[dict[str, object]]) -> None:
    delivery_receive_rows(organisation=organisation, rows=rows, channel=Delivery.Channel.API)


@pytest.fixture
def signals(personas: Personas) -> dict[str, Signal]:
    """One signal per case, each at its own address (so each has its own report), with
    the report's outcome and attempts as the case says."""
    corporation = _corporation(personas)
    rows = [_row(ref, 100 + i) for i, ref in enumerate(CASES)]
    # The resident's own address, so one signal is matched to a person.
    address = personas.household.address
    person = personas.household.current_memberships().get().person
    rows[3] = _row(
        "F-4",
        address.house_number,
        surname=person.surname,
        surname_prefix=person.surname_prefix,
        initials=person.initials,
        date_of_birth=person.date_of_birth.isoformat() if person.date_of_birth else "",
        postcode=address.postcode,
    )
    _deliver(corporation, rows)
    found = {s.partner_reference: s for s in Signal.objects.select_related("report")}
    now = timezone.now()
    for reference, (status, outcome, attempts, _contact, _help) in CASES.items():
        report = found[reference].report
        for minutes, reached in enumerate(attempts):
            ContactAttempt.objects.create(
                report=report,
                kind=ContactAttempt.Kind.PHONE,
                reached=reached,
                note=NOTE,
                at=now - dt.timedelta(minutes=10 - minutes),
                by=personas.worker,
            )
        if status == "closed":
            Report.objects.filter(pk=report.pk).update(
                status=status, outcome=outcome, outcome_note=NOTE, closed_at=now
            )
    return found


def test_each_outcome_gives_the_answers_a_partner_may_know(
    personas: Personas, signals: dict[str, Signal]
) -> None:
    rows = feedback_rows(_corporation(personas))
    assert [r["partner_reference"] for r in rows] == list(CASES)
    for row in rows:
        status, _outcome, _attempts, contact, help_accepted = CASES[row["partner_reference"]]
        assert tuple(row) == FEEDBACK_FIELDS
        assert row["signal_date"] == DAY
        assert row["status"] == status, row
        assert row["contact_made"] == contact, row
        assert row["help_accepted"] == help_accepted, row
        assert row["closed_on"] == (TODAY if status == "closed" else None)


def test_nothing_about_the_household_is_in_the_feedback(
    personas: Personas, signals: dict[str, Signal]
) -> None:
    text = json.dumps(feedback_rows(_corporation(personas)), default=str)
    text += feedback_csv(_corporation(personas)).decode("utf-8-sig")
    person = personas.household.current_memberships().get().person
    for secret in (
        NOTE,
        "Kerstiëns",
        person.surname,
        "9990",
        "950",
        "phone",
        "declined",
        "already_helped",
    ):
        assert secret not in text


def test_only_the_partners_own_signals_and_since(
    personas: Personas, signals: dict[str, Signal]
) -> None:
    energy = factories.OrganisationFactory.create(name="Energie Test", energy_supplier=True)
    _deliver(energy, [_row("E-1", 100, partner_kind="energy")])  # same address as F-1
    assert [r["partner_reference"] for r in feedback_rows(energy)] == ["E-1"]
    assert "E-1" not in {r["partner_reference"] for r in feedback_rows(_corporation(personas))}
    _deliver(_corporation(personas), [_row("F-10", 300, day=TODAY)])
    recent = feedback_rows(_corporation(personas), since=TODAY)
    assert [r["partner_reference"] for r in recent] == ["F-10"]
    assert recent[0]["status"] == "open"


def test_one_query_whatever_the_number_of_signals(
    personas: Personas, signals: dict[str, Signal], django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        assert len(feedback_rows(_corporation(personas))) == len(CASES)
    _deliver(_corporation(personas), [_row(f"G-{n}", 200 + n) for n in range(30)])
    with django_assert_num_queries(1):
        assert len(feedback_rows(_corporation(personas))) == len(CASES) + 30


def test_the_csv_file_for_excel(personas: Personas, signals: dict[str, Signal]) -> None:
    _deliver(_corporation(personas), [_row("=HYPERLINK(1)", 301)])
    data = feedback_csv(_corporation(personas))
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Kenmerk;Signaaldatum;Status;Contact gelegd;Hulp geaccepteerd;Afgesloten op"
    by_reference = {line.split(";")[0]: line for line in lines[1:] if line}
    day, today = f"{DAY:%d-%m-%Y}", f"{TODAY:%d-%m-%Y}"
    assert by_reference["F-1"] == f"F-1;{day};open;;;"
    assert by_reference["F-2"] == f"F-2;{day};open;ja;;"
    assert by_reference["F-4"] == f"F-4;{day};afgesloten;ja;ja;{today}"
    assert by_reference["F-6"] == f"F-6;{day};afgesloten;nee;nee;{today}"
    assert by_reference["F-7"] == f"F-7;{day};afgesloten;nee;;{today}"
    # A reference that Excel would run as a formula is written as text.
    assert "'=HYPERLINK(1)" in by_reference


# --- through the API -------------------------------------------------------------------------


@pytest.fixture
def token(personas: Personas) -> str:
    return api_token_create(organisation=_corporation(personas), label="Koppeling", by=None)[1]


def _get(token: str, **params: str) -> Any:
    return Client(HTTP_ACCEPT_LANGUAGE="en").get(
        FEEDBACK_URL, params, HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_the_api_gives_the_feedback_and_logs_each_fetch(
    personas: Personas, signals: dict[str, Signal], token: str
) -> None:
    before = AuditEvent.objects.filter(action=Action.EXPORT).count()
    response = _get(token)
    assert response.status_code == 200
    feedback = response.json()["feedback"]
    assert len(feedback) == len(CASES)
    four = next(r for r in feedback if r["partner_reference"] == "F-4")
    assert four == {
        "partner_reference": "F-4",
        "signal_date": DAY.isoformat(),
        "status": "closed",
        "contact_made": "yes",
        "help_accepted": "yes",
        "closed_on": TODAY.isoformat(),
    }
    assert next(r for r in feedback if r["partner_reference"] == "F-1")["closed_on"] is None

    assert _get(token, sinds=TODAY.isoformat()).json() == {"feedback": []}
    events = AuditEvent.objects.filter(action=Action.EXPORT).order_by("sequence")
    assert events.count() == before + 2
    first, second = events[before], events[before + 1]
    assert first.details == {"api": "feedback", "rows": len(CASES), "since": ""}
    assert second.details["rows"] == 0 and second.details["since"] == TODAY.isoformat()
    assert first.on_behalf_of == "Woonstichting Test"
    assert first.actor_username.startswith("api-token:")
    # The matched resident is named, so "who looked at my file" shows this fetch.
    assert signals["F-4"].person_id is not None
    assert signals["F-4"].person_id in first.subject_ids


def test_the_api_refuses_a_bad_date(token: str) -> None:
    response = _get(token, sinds="31-01-2026x")
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.json()["error"]
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_the_api_asks_a_constant_number_of_queries(
    personas: Personas, signals: dict[str, Signal], token: str
) -> None:
    with CaptureQueriesContext(connection) as few:
        _get(token)
    _deliver(_corporation(personas), [_row(f"G-{n}", 200 + n) for n in range(30)])
    with CaptureQueriesContext(connection) as many:
        assert len(_get(token).json()["feedback"]) == len(CASES) + 30
    assert len(many.captured_queries) <= len(few.captured_queries)


def test_a_former_tenants_partner_does_not_learn_the_households_outcome(
    personas: Personas,
) -> None:
    """A report covers an address; a signal about somebody who is not in the household
    the report is about gets no outcome (review finding 9)."""
    corporation = _corporation(personas)
    address = personas.household.address
    person = personas.household.current_memberships().get().person
    _deliver(
        corporation,
        [
            _row(
                "Y-1",
                address.house_number,
                surname=person.surname,
                surname_prefix=person.surname_prefix,
                initials=person.initials,
                date_of_birth=person.date_of_birth.isoformat() if person.date_of_birth else "",
                postcode=address.postcode,
            ),
            _row("X-1", address.house_number, surname="Oudhuurder", postcode=address.postcode),
        ],
    )
    report = Signal.objects.get(partner_reference="Y-1").report
    assert report.household_id == personas.household.pk
    Report.objects.filter(pk=report.pk).update(
        status="closed", outcome="accepted", closed_at=timezone.now()
    )
    rows = {r["partner_reference"]: r for r in feedback_rows(corporation)}
    assert rows["Y-1"]["help_accepted"] == "yes"
    assert rows["X-1"]["help_accepted"] == "" and rows["X-1"]["contact_made"] == ""
