"""From a partner's file to an accepted offer: upload, rows set aside and corrected, matching,
bundling, priority, routing, the outreach list, attempts and the one-click file."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtkracht.audit.models import Action, AuditEvent
from buurtkracht.casework.intake import intake_assign
from buurtkracht.casework.models import Intake
from buurtkracht.households.models import Involvement, Person
from buurtkracht.signals.models import Delivery, MatchDecision, RejectedRow, Report, Signal
from buurtkracht.signals.services import add_working_days
from tests import factories
from tests.conftest import Personas
from tests.versions import opened_at

pytestmark = pytest.mark.django_db

HEADER = (
    "Kenmerk;Signaaldatum;Voorletters;Tussenvoegsel;"
    "Achternaam;Geboortedatum;Straat;"
    "Huisnummer;Postcode;Woonplaats;Bedrag achterstand;Aantal termijnen\r\n"
)


def _resident(personas: Personas) -> Person:
    return personas.household.current_memberships().get().person


def _row(reference: str, person: Person, address: object, **over: str) -> str:
    values = {
        "ref": reference,
        "date": (timezone.localdate() - dt.timedelta(days=3)).strftime("%d-%m-%Y"),
        "initials": person.initials,
        "prefix": person.surname_prefix,
        "surname": person.surname,
        "dob": person.date_of_birth.strftime("%d-%m-%Y") if person.date_of_birth else "",
        "street": address.street,  # type: ignore[attr-defined]
        "number": str(address.house_number),  # type: ignore[attr-defined]
        "postcode": address.postcode,  # type: ignore[attr-defined]
        "town": address.town,  # type: ignore[attr-defined]
        "amount": "€ 1.234,56",
        "terms": "3",
    }
    values.update(over)
    return ";".join(values.values()) + "\r\n"


def _deliver(client: Client, content: str, name: str = "signalen.csv") -> Any:
    upload = SimpleUploadedFile(name, content.encode("utf-8-sig"), content_type="text/csv")
    return client.post(reverse("signals:deliver"), {"file": upload, "upload_id": "u-1"})


def test_a_file_with_a_bad_row_is_taken_in_and_the_bad_row_kept_aside(
    personas: Personas,
) -> None:
    person = _resident(personas)
    address = personas.household.address
    client = Client()
    client.force_login(personas.partner_liaison)
    assert client.get(reverse("signals:deliver")).status_code == 200
    content = (
        HEADER
        + _row("W-1", person, address)
        + _row("W-2", person, address, postcode="99999", ref="W-2")
    )
    response = _deliver(client, content)
    assert response.status_code == 302
    delivery = Delivery.objects.get()
    assert (delivery.rows_total, delivery.rows_valid, delivery.rows_rejected) == (2, 1, 1)
    signal = Signal.objects.get()
    assert signal.person == person
    assert signal.match_status == Signal.MatchStatus.AUTOMATIC
    assert signal.amount is not None and str(signal.amount) == "1234.56"
    report = signal.report
    assert report.team is not None and report.team.name == "Team Oost"
    assert report.household == personas.household
    assert report.first_attempt_due == add_working_days(timezone.localdate(), 5)
    # Housing corporation (3) + amount >= 1000 (2) + 3 terms (2).
    assert report.priority == 7
    page = client.get(response["Location"]).content.decode()
    assert "1 regel om te verbeteren" in page
    assert "99999" in page  # the value as delivered, to correct
    assert "postcode" in page.lower()
    event = AuditEvent.objects.filter(object_type="signals.Delivery", action=Action.CREATE).get()
    assert person.pk in event.subject_ids
    assert event.details["set_aside"] == 1

    # The same file again: nothing twice.
    again = _deliver(client, content)
    assert again.status_code == 302
    assert Signal.objects.count() == 1 and Delivery.objects.count() == 1

    # The corrected row is taken in; it bundles into the same report (same address, month).
    row = RejectedRow.objects.get()
    data = {f"row{row.pk}-{k}": v for k, v in row.raw.items()}
    data[f"row{row.pk}-postcode"] = address.postcode
    client.post(reverse("signals:row-correct", args=[delivery.pk, row.pk]), data)
    row.refresh_from_db()
    assert row.resolved_at is not None
    assert Signal.objects.count() == 2
    report.refresh_from_db()
    assert report.signals.count() == 2 and report.multiple


def test_a_correction_that_is_still_wrong_keeps_the_typing_and_says_why(
    personas: Personas,
) -> None:
    person = _resident(personas)
    client = Client()
    client.force_login(personas.partner_liaison)
    _deliver(client, HEADER + _row("W-9", person, personas.household.address, surname=""))
    row = RejectedRow.objects.get()
    delivery = row.delivery
    data = {f"row{row.pk}-{k}": v for k, v in row.raw.items()}
    data[f"row{row.pk}-town"] = "Nieuwe plaatsnaam"
    client.post(reverse("signals:row-correct", args=[delivery.pk, row.pk]), data)
    row.refresh_from_db()
    assert row.resolved_at is None
    assert row.raw["town"] == "Nieuwe plaatsnaam"
    assert any(e["field"] == "surname" for e in row.errors)
    assert Signal.objects.count() == 0
    assert Delivery.objects.count() == 1  # the failed correction leaves no empty delivery


def test_other_organisations_do_not_see_a_partners_delivery(personas: Personas) -> None:
    person = _resident(personas)
    client = Client()
    client.force_login(personas.partner_liaison)
    _deliver(client, HEADER + _row("W-1", person, personas.household.address))
    delivery = Delivery.objects.get()
    for user in (personas.worker, personas.signal_officer, personas.policy_advisor):
        client.force_login(user)
        assert client.get(reverse("signals:delivery", args=[delivery.pk])).status_code == 404
        assert client.get(reverse("signals:deliver")).status_code == 404


def test_outreach_from_the_list_to_an_accepted_offer_and_a_plan(personas: Personas) -> None:
    person = _resident(personas)
    client = Client()
    client.force_login(personas.partner_liaison)
    _deliver(client, HEADER + _row("W-1", person, personas.household.address))
    report = Report.objects.get()

    client.force_login(personas.worker)
    page = client.get(reverse("signals:worklist")).content.decode()
    assert personas.household.address.street in page
    # Another team's worker neither lists nor opens it.
    other = Client()
    other.force_login(personas.colleague)
    assert (
        personas.household.address.street
        not in other.get(reverse("signals:worklist")).content.decode()
    )
    assert other.get(reverse("signals:report", args=[report.pk])).status_code == 404

    detail = client.get(reverse("signals:report", args=[report.pk])).content.decode()
    assert "een woningcorporatie meldt: risico op huisuitzetting" in detail.lower()
    act = lambda what: reverse("signals:report-act", args=[report.pk, what])  # noqa: E731
    # Accepting help before anyone was reached is refused.
    assert client.post(act("accept")).status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.OPEN
    # A letter, not reached; then a home visit, reached.
    client.post(act("attempt"), {"kind": "letter", "reached": "0"})
    response = client.post(act("attempt"), {"kind": "home_visit", "reached": "1", "note": "Thuis"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.first_attempt_at is not None
    response = client.post(act("accept"))
    assert response.status_code == 302
    # The team does not let members assign: the intake waits for the team leader.
    assert response["Location"] == reverse("signals:report", args=[report.pk])
    report.refresh_from_db()
    assert report.outcome == Report.Outcome.ACCEPTED and report.status == Report.Status.CLOSED
    intake = Intake.objects.get()
    assert intake.source == Intake.Source.SIGNAL and intake.household == personas.household
    assert intake.status == Intake.Status.NEW and report.intake == intake
    plan = reverse("casework:plan", args=[personas.household.pk])
    assert client.get(plan).status_code == 404
    intake_assign(intake=intake, worker=personas.worker, by=personas.team_leader)
    lead = Involvement.objects.get(household=personas.household, kind=Involvement.Kind.LEAD)
    assert lead.worker == personas.worker
    assert client.get(plan).status_code == 200
    changes = AuditEvent.objects.filter(object_type="signals.Report", action=Action.UPDATE)
    assert changes.filter(details__attempt="home_visit").exists()
    assert changes.filter(details__outcome="accepted").get().subject_ids == [person.pk]


def test_an_outcome_after_contact_needs_a_reached_attempt_and_keeps_the_note(
    personas: Personas,
) -> None:
    person = _resident(personas)
    client = Client()
    client.force_login(personas.partner_liaison)
    _deliver(client, HEADER + _row("W-1", person, personas.household.address))
    report = Report.objects.get()
    client.force_login(personas.worker)
    url = reverse("signals:report-act", args=[report.pk, "outcome"])
    response = client.post(url, {"outcome": "declined", "note": "Wil geen hulp"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Leg eerst de poging vast waarin u hen bereikte" in page
    assert "Wil geen hulp" in page
    response = client.post(
        reverse("signals:report-act", args=[report.pk, "priority"]), {"priority": "12"}
    )
    assert response.status_code == 400
    assert "Schrijf op waarom u de prioriteit verandert" in response.content.decode()


def test_two_tabs_setting_the_priority_lose_no_change(personas: Personas) -> None:
    """Issue 15, finding 9: the second priority set by hand undid the first unseen."""
    person = _resident(personas)
    client = Client()
    client.force_login(personas.partner_liaison)
    _deliver(client, HEADER + _row("W-1", person, personas.household.address))
    report = Report.objects.get()
    first, second = Client(), Client()
    first.force_login(personas.worker)
    second.force_login(personas.worker)
    page_url = reverse("signals:report", args=[report.pk])
    tab_one = opened_at(first.get(page_url).content.decode())
    tab_two = opened_at(second.get(page_url).content.decode())
    url = reverse("signals:report-act", args=[report.pk, "priority"])

    mine = {"priority": "30", "reason": "Kinderen in huis"}
    assert first.post(url, {**mine, **tab_one}).status_code == 302
    response = second.post(url, {"priority": "5", "reason": "Al in beeld bij de wijk", **tab_two})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Iemand anders heeft dit gewijzigd terwijl u eraan werkte" in page
    assert "“Kinderen in huis”" in page  # what the first tab saved is named
    assert "Al in beeld bij de wijk" in page  # what the second user typed is kept
    report.refresh_from_db()
    assert (report.priority_override, report.override_reason, report.version) == (
        30,
        "Kinderen in huis",
        2,
    )

    again = opened_at(page)
    assert again["version"] == "2"
    response = second.post(url, {"priority": "5", "reason": "Al in beeld", **again})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.priority_override, report.version) == (5, 3)


def test_uncertain_matches_go_to_review_and_the_decision_is_remembered(
    personas: Personas,
) -> None:
    person = _resident(personas)
    address = personas.household.address
    client = Client()
    client.force_login(personas.partner_liaison)
    # Surname with a typing error and no date of birth: not certain.
    typo = person.surname[:-1] + ("x" if person.surname[-1] != "x" else "y")
    _deliver(client, HEADER + _row("W-1", person, address, surname=typo, dob="", initials=""))
    signal = Signal.objects.get()
    assert signal.match_status == Signal.MatchStatus.REVIEW

    officer = Client()
    officer.force_login(personas.signal_officer)
    page = officer.get(reverse("signals:review")).content.decode()
    assert typo in page and person.surname in page
    for outsider in (personas.worker, personas.partner_liaison):
        client.force_login(outsider)
        assert client.get(reverse("signals:review")).status_code == 404
    officer.post(reverse("signals:review-decide", args=[signal.pk]), {"person": person.pk})
    signal.refresh_from_db()
    assert signal.match_status == Signal.MatchStatus.CONFIRMED and signal.person == person
    assert MatchDecision.objects.get().person == person

    # Next month the same partner sends the same spelling: matched at once.
    client.force_login(personas.partner_liaison)
    next_month = (timezone.localdate() + dt.timedelta(days=35)).strftime("%d-%m-%Y")
    content = HEADER + _row("W-2", person, address, surname=typo, dob="", initials="", ref="W-2")
    content = (
        content.replace(
            (timezone.localdate() - dt.timedelta(days=3)).strftime("%d-%m-%Y"), next_month
        )
        if False
        else content
    )
    _deliver(client, content, name="maart.csv")
    second = Signal.objects.get(partner_reference="W-2")
    assert second.match_status == Signal.MatchStatus.AUTOMATIC
    assert second.person == person
    assert "decided earlier by the signal officer" in second.match_reasons


def test_signals_at_one_address_in_one_month_are_one_report_and_the_next_month_is_consecutive(
    personas: Personas,
) -> None:
    from buurtkracht.signals.services import delivery_receive_rows

    person = _resident(personas)
    address = personas.household.address
    energy = factories.OrganisationFactory.create(name="Stroom BV", kind="energy_supplier")
    rows = [
        {
            "partner_reference": f"E-{n}",
            "signal_date": date,
            "surname": person.surname,
            "surname_prefix": person.surname_prefix,
            "initials": person.initials,
            "postcode": address.postcode,
            "house_number": str(address.house_number),
            "amount": "200",
            "end_of_supply_date": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
        }
        for n, date in enumerate(["2026-08-03", "2026-08-20", "2026-10-02"])
    ]
    delivery_receive_rows(organisation=energy, rows=rows, channel=Delivery.Channel.API)
    reports = list(Report.objects.order_by("month"))
    assert [r.month for r in reports] == [dt.date(2026, 8, 1), dt.date(2026, 10, 1)]
    assert reports[0].multiple and not reports[0].consecutive
    assert reports[1].consecutive and not reports[1].multiple
    texts = [r["text"] for r in reports[1].priority_reasons]
    assert "end of supply on %(date)s (within %(threshold)s days)" in texts
    assert "a signal at this address in the previous six months" in texts


def test_a_priority_set_by_hand_counts_in_the_order_of_the_list(personas: Personas) -> None:
    from buurtkracht.signals.outreach import report_override_priority
    from buurtkracht.signals.queries import outreach_list

    person = _resident(personas)
    address = personas.household.address
    client = Client()
    client.force_login(personas.partner_liaison)
    other = factories.AddressFactory.create(neighbourhood=address.neighbourhood, house_number=500)
    _deliver(
        client,
        HEADER
        + _row("W-1", person, address)
        + _row("W-2", person, other, amount="10", terms="1", ref="W-2"),
    )
    high = Report.objects.get(address=address)
    low = Report.objects.get(address=other)
    assert high.priority > low.priority
    assert [r.pk for r in outreach_list(personas.worker)] == [high.pk, low.pk]
    report_override_priority(
        report=low, priority=20, reason="Deurwaarder gepland", user=personas.worker
    )
    assert [r.pk for r in outreach_list(personas.worker)] == [low.pk, high.pk]
    report_override_priority(
        report=high, priority=0, reason="Regeling loopt al", user=personas.worker
    )
    low.priority_override = None
    low.save()
    assert [r.pk for r in outreach_list(personas.worker)] == [low.pk, high.pk]


def test_every_priority_condition_has_a_rule() -> None:
    from buurtkracht.signals.models import PriorityRule
    from buurtkracht.signals.services import RULES

    assert set(RULES) == set(PriorityRule.Condition.values)
