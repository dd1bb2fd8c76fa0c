"""Early signals in the browser: a partner uploads a file with bad rows, the signal officer
works the review list, and a worker goes from the outreach list through an attempt to an
accepted offer and the new plan (story 1 up to the plan), with the accessibility scan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from buurtkracht.households.models import Person
from buurtkracht.signals.models import Report, Signal
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.test_casework import no_sideways_scroll
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = (
    "Kenmerk;Signaaldatum;Voorletters;Tussenvoegsel;"
    "Achternaam;Geboortedatum;"
    "Huisnummer;Postcode;Bedrag achterstand;Aantal termijnen"
)


def _file(tmp_path: Path, personas: Personas, *rows: dict[str, str]) -> Path:
    person: Person = personas.household.current_memberships().get().person
    address = personas.household.address
    day = (timezone.localdate() - dt.timedelta(days=2)).strftime("%d-%m-%Y")
    lines = [HEADER]
    for row in rows:
        values = {
            "ref": "W-1",
            "date": day,
            "initials": person.initials,
            "prefix": person.surname_prefix,
            "surname": person.surname,
            "dob": f"{person.date_of_birth:%d-%m-%Y}" if person.date_of_birth else "",
            "number": str(address.house_number),
            "postcode": address.postcode,
            "amount": "€ 1.460,00",
            "terms": "2",
            **row,
        }
        lines.append(";".join(values.values()))
    path = tmp_path / "achterstanden.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    return path


def _signal_about(personas: Personas, *, surname_typo: bool = False) -> Person:
    """A housing corporation's API signal about the personas' resident: exact, or with a
    typing error in the surname and nothing else to go on (a case for the review list)."""
    from buurtkracht.signals.services import delivery_receive_rows

    person: Person = personas.household.current_memberships().get().person
    address = personas.household.address
    exact = {
        "surname": person.surname,
        "surname_prefix": person.surname_prefix,
        "initials": person.initials,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
        "amount": "1460",
        "missed_terms": "2",
    }
    delivery_receive_rows(
        organisation=personas.partner_liaison.organisation,  # type: ignore[arg-type]
        rows=[
            {
                "partner_reference": "W-7",
                "signal_date": timezone.localdate().isoformat(),
                "postcode": address.postcode,
                "house_number": str(address.house_number),
                "amount": "1460",
                **({"surname": person.surname[:-1] + "q"} if surname_typo else exact),
            }
        ],
        channel="api",
    )
    return person


def test_partner_uploads_a_file_with_bad_rows_and_corrects_one_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas, tmp_path: Path
) -> None:
    path = _file(
        tmp_path,
        personas,
        {},
        {"ref": "W-2", "postcode": "12AB"},
        {"ref": "W-3", "surname": ""},
    )
    login(phone_page, live_server, "partner", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Signalen aanleveren"
    ).click()
    assert_accessible(phone_page)
    phone_page.get_by_label("Bestand met signalen").set_input_files(str(path))
    phone_page.get_by_role("button", name="Aanleveren").click()
    phone_page.wait_for_url("**/signalen/leveringen/**")
    content = phone_page.content()
    assert "2 regels om te verbeteren" in content
    assert_accessible(phone_page)
    assert no_sideways_scroll(phone_page)
    # Correct the postcode of the first row set aside and deliver it again.
    form = phone_page.locator("form.bk-card").first
    form.get_by_label("Postcode").fill(personas.household.address.postcode)
    form.get_by_role("button", name="Deze regel opnieuw aanleveren").click()
    expect(phone_page.locator("body")).to_contain_text("1 regel om te verbeteren")
    assert Signal.objects.count() == 2
    assert_accessible(phone_page)
    # The corrected row is part of this delivery, not a delivery of its own.
    facts = phone_page.locator("dl.bk-facts")
    assert facts.locator("dt:has-text('Verbeterd') + dd").inner_text() == "1"
    assert facts.locator("dt:has-text('Apart gezet') + dd").inner_text() == "1"
    phone_page.get_by_role("link", name="Signalen aanleveren").first.click()
    earlier = phone_page.locator("#earlier-heading + ul > li")
    expect(earlier).to_have_count(1)
    assert "2 opgenomen, 1 apart gezet, 1 verbeterd" in earlier.inner_text()
    assert_accessible(phone_page)


def test_signal_officer_decides_on_the_review_list(
    page: Any, live_server: Any, personas: Personas
) -> None:
    person = _signal_about(personas, surname_typo=True)
    assert Signal.objects.get().match_status == "review"
    login(page, live_server, "signaal", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Signalen beoordelen").click()
    assert_accessible(page)
    page.get_by_label(person.full_name, exact=False).check()
    page.get_by_role("button", name="Besluit opslaan").click()
    assert "Besluit opgeslagen" in page.get_by_role("status").first.inner_text()
    assert Signal.objects.get().person == person
    assert_accessible(page)


def _reach_on_a_phone(phone_page: Any, live_server: Any, personas: Personas) -> None:
    """The worker finds the report, records a home visit that reached the resident."""
    address = personas.household.address
    login(phone_page, live_server, "wijkwerker", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.get_by_role("link", name="Signalen", exact=True).click()
    assert_accessible(phone_page)
    assert no_sideways_scroll(phone_page)
    phone_page.get_by_role("link", name=address.street, exact=False).first.click()
    expect(phone_page.locator("body")).to_contain_text("risico op huisuitzetting")
    assert_accessible(phone_page)
    phone_page.get_by_label("Huisbezoek").check()
    phone_page.get_by_label("ja").check()
    phone_page.get_by_label("Opmerking").first.fill("Mevrouw thuis getroffen, wil hulp")
    phone_page.get_by_role("button", name="Poging opslaan").click()
    assert "Poging opgeslagen" in phone_page.get_by_role("status").first.inner_text()


def test_outreach_attempt_to_accepted_offer_and_the_plan_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    team = personas.household.address.neighbourhood.teams.get()  # type: ignore[union-attr]
    team.members_may_assign = True  # a self-steering team: the worker takes the lead
    team.save()
    _signal_about(personas)
    _reach_on_a_phone(phone_page, live_server, personas)
    phone_page.get_by_role("button", name="Hulp geaccepteerd: open het dossier").click()
    phone_page.wait_for_url(f"**/huishoudens/{personas.household.pk}/plan/")
    assert_accessible(phone_page)
    assert no_sideways_scroll(phone_page)
    report = Report.objects.get()
    assert report.outcome == "accepted"


def test_accepted_help_waits_for_the_team_leader_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    """A team whose leader assigns: accepting help makes the intake, not a lead worker."""
    _signal_about(personas)
    _reach_on_a_phone(phone_page, live_server, personas)
    phone_page.get_by_role("button", name="Hulp geaccepteerd: aanmelding maken").click()
    assert "wacht op de teamleider" in phone_page.get_by_role("status").first.inner_text()
    assert_accessible(phone_page)
    report = Report.objects.get()
    assert report.outcome == "accepted"
    assert report.intake is not None and report.intake.assigned_to_id is None
    assert not personas.household.involvements.filter(worker=personas.worker).exists()


def test_the_monitor_on_a_phone(phone_page: Any, live_server: Any, personas: Personas) -> None:
    from buurtkracht.signals.services import delivery_receive_rows

    address = personas.household.address
    delivery_receive_rows(
        organisation=personas.partner_liaison.organisation,  # type: ignore[arg-type]
        rows=[
            {
                "partner_reference": f"M-{n}",
                "signal_date": timezone.localdate().isoformat(),
                "surname": "Bakker",
                "postcode": address.postcode,
                "house_number": str(200 + n),
                "amount": "250",
            }
            for n in range(7)
        ],
        channel="api",
    )
    login(phone_page, live_server, "beleid", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Signaalmonitor"
    ).click()
    expect(phone_page.locator("body")).to_contain_text("Signalen en outreach")
    assert phone_page.locator("svg[role=img]").count() >= 2
    # All signals are of this month: the earlier months are left out, and the page says so.
    assert (
        "eerder zijn er geen signalen ontvangen"
        in phone_page.get_by_role("status").first.inner_text()
    )
    assert phone_page.locator("#figures-caption ~ tbody tr").count() == 2  # the month, total
    assert_accessible(phone_page)
    assert no_sideways_scroll(phone_page)


def test_signal_officer_sees_who_holds_the_file_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    """The report says who holds the household's file instead of linking to a page the
    signal officer may not open; that page, asked for anyway, is the project's own 404."""
    _signal_about(personas)
    lead = personas.make_worker_lead()
    lead.worker.email = "wijkwerker@lindenhoven.example"
    lead.worker.save()
    report = Report.objects.get()
    login(phone_page, live_server, "signaal", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(live_server.url + reverse("signals:report", args=[report.pk]))
    note = phone_page.get_by_role("note")
    assert "wijkwerker@lindenhoven.example" in note.inner_text()
    assert phone_page.get_by_role("link", name="Dossier van het huishouden openen").count() == 0
    assert_accessible(phone_page)
    assert no_sideways_scroll(phone_page)
    response = phone_page.goto(
        live_server.url + reverse("workspace:household", args=[personas.household.pk])
    )
    assert response is not None and response.status == 404
    assert phone_page.get_by_role("heading", level=1).inner_text() == "Pagina niet gevonden"
    assert_accessible(phone_page)
    assert no_sideways_scroll(phone_page)


def test_the_page_says_a_file_was_delivered_before_and_asks_about_unknown_columns(
    phone_page: Any, live_server: Any, personas: Personas, tmp_path: Path
) -> None:
    """Issue 17, item 6: the upload script's request no longer eats the word that a file was
    delivered before; a column that is not recognised is asked about before anything is
    stored, and the partner may deliver without it."""
    path = _file(tmp_path, personas, {})
    login(phone_page, live_server, "partner", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    deliver = f"{live_server.url}{reverse('signals:deliver')}"
    for _ in range(2):
        phone_page.goto(deliver)
        phone_page.get_by_label("Bestand met signalen").set_input_files(str(path))
        phone_page.get_by_role("button", name="Aanleveren").click()
        phone_page.wait_for_url("**/signalen/leveringen/**")
    expect(phone_page.locator("body")).to_contain_text("U hebt dit bestand al eerder aangeleverd")
    assert_accessible(phone_page)
    assert Signal.objects.count() == 1

    text = path.read_text(encoding="utf-8-sig").splitlines()
    text = [text[0] + ";Bedr. achterst.", text[1].replace("W-1", "W-5") + ";12"]
    path.write_text("\r\n".join(text) + "\r\n", encoding="utf-8")
    phone_page.goto(deliver)
    phone_page.get_by_label("Bestand met signalen").set_input_files(str(path))
    phone_page.get_by_role("button", name="Aanleveren").click()
    expect(phone_page.locator("body")).to_contain_text("“Bedr. achterst.” (misschien: Bedrag")
    assert Signal.objects.count() == 1
    assert_accessible(phone_page)
    phone_page.get_by_label("Bestand met signalen").set_input_files(str(path))
    phone_page.get_by_label("Lever het bestand zonder de kolommen").check()
    phone_page.get_by_role("button", name="Aanleveren").click()
    phone_page.wait_for_url("**/signalen/leveringen/**")
    expect(phone_page.locator("body")).to_contain_text("Bedr. achterst.")
    assert Signal.objects.count() == 2


def test_a_file_made_from_a_signal_gets_its_members_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    """A signal about somebody the register does not know, at a known door where nobody is
    registered: accepting help makes a file without members, and the worker adds the
    resident to it (issue 16)."""
    from buurtkracht.core.models import Address
    from buurtkracht.households.models import Household
    from buurtkracht.signals.services import delivery_receive_rows

    team = personas.household.address.neighbourhood.teams.get()  # type: ignore[union-attr]
    team.members_may_assign = True
    team.save()
    door = Address.objects.create(
        street="Kastanjelaan", house_number=7, postcode="9990AB", town="Lindenhoven",
        neighbourhood=personas.household.address.neighbourhood,
    )  # fmt: skip
    delivery_receive_rows(
        organisation=personas.partner_liaison.organisation,  # type: ignore[arg-type]
        rows=[
            {
                "partner_reference": "K-7",
                "signal_date": timezone.localdate().isoformat(),
                "surname": "Kaya",
                "initials": "E.",
                "date_of_birth": "1988-04-02",
                "postcode": door.postcode,
                "house_number": "7",
                "amount": "980",
                "missed_terms": "2",
            }
        ],
        channel="api",
    )
    report = Report.objects.get()
    assert report.household is None and report.address == door
    page = phone_page
    login(page, live_server, "wijkwerker", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Signalen", exact=True).click()
    page.get_by_role("link", name="Kastanjelaan", exact=False).first.click()
    expect(page.get_by_label("Huisbezoek")).to_be_visible()
    page.get_by_label("Huisbezoek").check()
    page.get_by_label("ja").check()
    page.get_by_label("Opmerking").first.fill("Mevrouw Kaya thuis getroffen, wil hulp")
    page.get_by_role("button", name="Poging opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("Poging opgeslagen")
    page.get_by_role("button", name="Hulp geaccepteerd: open het dossier").click()
    page.wait_for_url("**/huishoudens/*/plan/")
    household = Household.objects.get(address=door)
    assert not household.memberships.exists()

    page.goto(f"{live_server.url}/huishoudens/{household.pk}/")
    expect(page.locator("body")).to_contain_text("Er staat nog niemand als bewoner ingeschreven.")
    page.get_by_role("link", name="Samenstelling wijzigen").click()
    search = page.locator("form", has=page.get_by_role("button", name="Zoeken in het register"))
    expect(search).to_be_visible()
    search.get_by_label("Achternaam").fill("Kaya")
    search.get_by_label("Geboortedatum").fill("02-04-1988")
    page.get_by_role("button", name="Zoeken in het register").click()
    expect(page.get_by_text("Niemand gevonden")).to_be_visible()
    new = page.locator("form", has=page.get_by_role("button", name="Nieuwe persoon toevoegen"))
    new.get_by_label("Voornamen").fill("Elif")
    new.get_by_label("Rol in het huishouden").select_option("head")
    new.get_by_label("Woont hier vanaf").fill(
        (timezone.localdate() - dt.timedelta(days=400)).strftime("%d-%m-%Y")
    )
    page.get_by_role("button", name="Nieuwe persoon toevoegen").click()
    expect(page.get_by_text("De persoon is aan het huishouden toegevoegd.")).to_be_visible()
    assert "Elif Kaya" in page.get_by_role("region", name="Woont hier nu").inner_text()
    assert_accessible(page)
    assert no_sideways_scroll(page)
    assert household.memberships.get().person.surname == "Kaya"
