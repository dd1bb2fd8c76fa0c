"""Stories (weekimpressies): written by workers and residents, shown in the neighbourhood
report beside the figures, a story about a resident only with that resident's consent."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from buurtkracht.audit.models import Action, AuditEvent
from buurtkracht.core.models import Area, Team
from buurtkracht.households.consent import consent_record, consent_withdraw
from buurtkracht.households.models import Consent, Person
from buurtkracht.outcomes.models import Story
from buurtkracht.outcomes.reports import Period, outcome_report
from buurtkracht.outcomes.stories import story_write
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

Purpose = Consent.Purpose
TODAY = timezone.localdate()
YEAR = Period(TODAY - dt.timedelta(days=364), TODAY)


def resident_person(personas: Personas) -> Person:
    person = personas.resident.person
    assert person is not None
    return person


def titles(period: Period = YEAR, **filters: object) -> list[str]:
    report = outcome_report(period=period, **filters)  # type: ignore[arg-type]
    return [story.title for story in report.stories.stories]


def about_resident(personas: Personas, title: str = "Weer aan het werk") -> Story:
    personas.make_worker_lead()
    return story_write(
        author=personas.worker,
        title=title,
        text="Na een half jaar vrijwilligerswerk in de moestuin begint hij bij de kringloop.",
        household=personas.household,
        about=resident_person(personas),
    )


def test_a_story_about_a_resident_needs_their_consent(personas: Personas) -> None:
    story = about_resident(personas)
    assert story.neighbourhood == personas.household.address.neighbourhood
    assert story.team is not None and story.team.name == "Team Oost"
    assert titles() == []

    consent = consent_record(
        person=resident_person(personas),
        purpose=Purpose.STORY_IN_REPORT,
        given=True,
        method=Consent.Method.SPOKEN,
        recorded_by=personas.worker,
    )
    assert titles() == ["Weer aan het werk"]
    shown = outcome_report(period=YEAR).stories.stories[0]
    assert shown.source == "Van een medewerker van Team Oost"
    assert shown.neighbourhood == "Lindenbuurt"

    consent_withdraw(consent=consent, recorded_by=personas.worker, method=Consent.Method.SPOKEN)
    assert titles() == []


def test_expired_consent_no_longer_counts(personas: Personas) -> None:
    about_resident(personas)
    consent = consent_record(
        person=resident_person(personas),
        purpose=Purpose.STORY_IN_REPORT,
        given=True,
        method=Consent.Method.WRITTEN,
        recorded_by=personas.worker,
        valid_until=TODAY,
    )
    assert titles() == ["Weer aan het werk"]
    Consent.objects.filter(pk=consent.pk).update(valid_until=TODAY - dt.timedelta(days=1))
    assert titles() == []


def test_general_stories_follow_period_team_and_area(personas: Personas) -> None:
    oost = Team.objects.get(name="Team Oost")
    west = Team.objects.get(name="Team West")
    lindenbuurt = Area.objects.get(name="Lindenbuurt")
    story_write(
        author=personas.worker,
        title="Koffieochtend vol",
        text="Twintig buren aan tafel.",
        team=oost,
        neighbourhood=lindenbuurt,
    )
    story_write(author=personas.worker, title="Hele team", text="Teamdag.", team=oost)
    story_write(
        author=personas.colleague,
        title="Westen",
        text="Iets in Vogelwijk.",
        team=west,
        written_on=TODAY - dt.timedelta(days=30),
    )
    assert sorted(titles()) == ["Hele team", "Koffieochtend vol", "Westen"]
    assert sorted(titles(team=oost)) == ["Hele team", "Koffieochtend vol"]
    # A story for the whole team area belongs to no single neighbourhood.
    assert titles(area=lindenbuurt) == ["Koffieochtend vol"]
    assert titles(period=Period(TODAY - dt.timedelta(days=10), TODAY), team=west) == []


def test_story_checks_say_what_is_wrong(personas: Personas) -> None:
    oost = Team.objects.get(name="Team Oost")
    with pytest.raises(ValidationError) as error:
        story_write(
            author=personas.worker,
            title=" ",
            text="x" * 1501,
            team=oost,
            neighbourhood=Area.objects.get(name="Vogelwijk"),
            written_on=TODAY + dt.timedelta(days=1),
        )
    messages = error.value.message_dict
    assert set(messages) == {"title", "text", "written_on", "neighbourhood"}
    assert "1501" in messages["text"][0]
    with pytest.raises(ValidationError) as error:
        story_write(author=personas.worker, title="Zonder team", text="Tekst.")
    assert "team" in error.value.message_dict
    assert not Story.objects.exists()


def test_worker_writes_a_story_from_the_file(client: Client, personas: Personas) -> None:
    personas.make_worker_lead()
    client.force_login(personas.worker)
    url = reverse("outcomes:story-new", args=[personas.household.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Nieuw verhaal" in page.content.decode()

    bad = client.post(url, {"title": "", "text": "", "written_on": "22-11-2026"})
    assert bad.status_code == 400
    assert "Geef het verhaal een korte titel." in bad.content.decode()

    response = client.post(
        url,
        {
            "title": "Eerste stap",
            "text": "Ze belde zelf de corporatie voor een regeling.",
            "written_on": TODAY.strftime("%d-%m-%Y"),
            "about": str(resident_person(personas).pk),
        },
    )
    assert response.status_code == 302
    story = Story.objects.get()
    assert story.about == resident_person(personas)
    assert story.source == Story.Source.WORKER
    event = AuditEvent.objects.filter(action=Action.CREATE).latest("sequence")
    assert event.subject_ids == [resident_person(personas).pk]

    progress = client.get(reverse("outcomes:progress", args=[personas.household.pk]))
    html = progress.content.decode()
    assert "Eerste stap" in html
    assert "Niet in rapportages: geen toestemming." in html


def test_resident_writes_own_story_and_gives_consent_with_it(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.resident)
    url = reverse("outcomes:story-new", args=[personas.household.pk])
    page = client.get(url).content.decode()
    assert "Jouw verhaal" in page or "Uw verhaal" in page
    response = client.post(
        url,
        {
            "title": "Mijn moestuin",
            "text": "Ik kom nu elke week in de moestuin.",
            "written_on": TODAY.strftime("%d-%m-%Y"),
            "in_reports": "on",
        },
    )
    assert response.status_code == 302
    story = Story.objects.get()
    assert story.source == Story.Source.RESIDENT
    assert story.about == resident_person(personas)
    consent = Consent.objects.get(person=resident_person(personas))
    assert consent.given and consent.method == Consent.Method.ONLINE
    assert consent.recorded_by == personas.resident
    report = outcome_report(period=YEAR)
    assert [(s.title, s.source) for s in report.stories.stories] == [
        ("Mijn moestuin", "Van een bewoner")
    ]

    # Unticking the box with the next story withdraws the consent for all stories.
    client.post(
        url,
        {"title": "Tweede", "text": "Nog een.", "written_on": TODAY.strftime("%d-%m-%Y")},
    )
    assert Consent.objects.filter(person=resident_person(personas)).count() == 2
    assert titles() == []


def test_other_team_cannot_write_or_remove(client: Client, personas: Personas) -> None:
    story = about_resident(personas)
    client.force_login(personas.colleague)
    assert (
        client.get(reverse("outcomes:story-new", args=[personas.household.pk])).status_code == 404
    )
    delete = reverse("outcomes:household-story-delete", args=[personas.household.pk, story.pk])
    assert client.post(delete).status_code == 404
    # The team leader may read the file, but only the author removes a story.
    client.force_login(personas.team_leader)
    assert client.post(delete).status_code == 404
    client.force_login(personas.worker)
    assert client.post(delete).status_code == 302
    assert not Story.objects.exists()


def test_report_shows_and_exports_stories_and_logs_whose(
    client: Client, personas: Personas
) -> None:
    about_resident(personas)
    consent_record(
        person=resident_person(personas),
        purpose=Purpose.STORY_IN_REPORT,
        given=True,
        method=Consent.Method.SPOKEN,
        recorded_by=personas.worker,
    )
    client.force_login(personas.policy_advisor)
    html = client.get(reverse("outcomes:report")).content.decode()
    assert "Weer aan het werk" in html
    assert resident_person(personas).surname not in html
    event = AuditEvent.objects.filter(action=Action.READ).latest("sequence")
    assert event.subject_ids == [resident_person(personas).pk]

    response = client.get(reverse("outcomes:report-export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert any("Weer aan het werk" in row for row in rows)
    response = client.get(reverse("outcomes:report-export", args=["xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    last = workbook.worksheets[-1]
    assert any("Weer aan het werk" in (row or ()) for row in last.iter_rows(values_only=True))


def test_team_stories_page(client: Client, personas: Personas) -> None:
    client.force_login(personas.worker)
    url = reverse("outcomes:stories")
    oost = Team.objects.get(name="Team Oost")
    response = client.post(
        url,
        {
            "title": "Buurtbarbecue",
            "text": "Veel nieuwe gezichten.",
            "written_on": TODAY.strftime("%d-%m-%Y"),
            "team": str(oost.pk),
            "neighbourhood": "",
        },
    )
    assert response.status_code == 302
    assert "Buurtbarbecue" in client.get(url).content.decode()
    client.force_login(personas.colleague)
    assert "Buurtbarbecue" not in client.get(url).content.decode()
    # Another team's story cannot be written in someone else's name.
    response = client.post(
        url,
        {
            "title": "Elders",
            "text": "Tekst.",
            "written_on": TODAY.strftime("%d-%m-%Y"),
            "team": str(oost.pk),
        },
    )
    assert response.status_code == 400
    assert Story.objects.count() == 1
    client.force_login(personas.policy_advisor)
    assert client.get(url).status_code in (403, 404)
