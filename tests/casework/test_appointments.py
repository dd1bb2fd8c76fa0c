"""Appointments with a household (issue 18, item 5): planned, changed and cancelled on the
file, on the worker's Mijn werk, and in the worker's private calendar feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from buurtkracht.accounts.models import User
from buurtkracht.audit.models import AuditEvent
from buurtkracht.casework.models import Appointment, CalendarFeed
from buurtkracht.casework.queries import appointments_due_for_reminder
from buurtkracht.casework.services import (
    appointment_cancel,
    appointment_change,
    appointment_plan,
    calendar_feed_renew,
    calendar_feed_set_names,
)
from buurtkracht.casework.services.appointments import local_moment
from buurtkracht.core.versioning import ChangedMeanwhile
from buurtkracht.households.models import Household
from tests import factories
from tests.clock import AMSTERDAM, instant
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def day(value: dt.date) -> str:
    return value.strftime("%d-%m-%Y")


def plan(
    personas: Personas,
    on: dt.date | None = None,
    at: dt.time = dt.time(10, 0),
    *,
    household: Household | None = None,
    hours: int = 1,
    **kwargs: Any,
) -> Appointment:
    starts = local_moment(on or timezone.localdate() + DAY, at).astimezone(dt.UTC)
    return appointment_plan(
        household=household or personas.household,
        user=personas.worker,
        kind=kwargs.pop("kind", Appointment.Kind.HOME_VISIT),
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=hours),
        workers=[personas.worker],
        allowed_workers=[personas.worker.pk],
        **kwargs,
    )


def form_data(on: dt.date, **overrides: str) -> dict[str, Any]:
    return {
        "kind": "home_visit",
        "date": day(on),
        "start": "10:00",
        "end": "11:00",
        "place": "home",
        "place_text": "",
        "with_others": "zus Els",
        "note": "Brief van de woningcorporatie meenemen",
        **overrides,
    }


def test_a_worker_plans_an_appointment_on_the_file_and_sees_it_on_my_work(
    client: Client, personas: Personas
) -> None:
    personas.make_worker_lead()
    client.force_login(personas.worker)
    tomorrow = timezone.localdate() + DAY
    url = reverse("casework:appointment-new", args=[personas.household.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert f'value="{personas.worker.pk}"' in page.content.decode()
    response = client.post(url, {**form_data(tomorrow), "workers": [personas.worker.pk]})
    assert response.status_code == 302, response.content.decode()
    appointment = Appointment.objects.get()
    assert timezone.localtime(appointment.starts_at).replace(tzinfo=None) == dt.datetime.combine(
        tomorrow, dt.time(10, 0)
    )
    assert appointment.ends_at - appointment.starts_at == dt.timedelta(hours=1)
    assert list(appointment.workers.all()) == [personas.worker]
    assert appointment.created_by == personas.worker
    logged = AuditEvent.objects.filter(action="create", actor_id=personas.worker.pk)
    assert logged.filter(details__change="appointment planned").exists()
    file = client.get(reverse("workspace:household", args=[personas.household.pk]))
    html = file.content.decode()
    assert "Huisbezoek" in html and "zus Els" in html and "Brief van de woningcorporatie" in html
    mine = client.get(reverse("workspace:my-work")).content.decode()
    assert "Vandaag en morgen" in mine
    assert "Morgen 10:00–11:00" in mine
    assert personas.household.address.street_line in mine


def test_an_end_before_the_start_is_refused_and_what_was_typed_stays(
    client: Client, personas: Personas
) -> None:
    personas.make_worker_lead()
    client.force_login(personas.worker)
    url = reverse("casework:appointment-new", args=[personas.household.pk])
    tomorrow = timezone.localdate() + DAY
    response = client.post(
        url, {**form_data(tomorrow, start="14:00", end="13:30"), "workers": [personas.worker.pk]}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Het einde ligt voor het begin" in html
    assert 'value="13:30"' in html and "Brief van de woningcorporatie" in html
    far = client.post(
        url, {**form_data(dt.date(1800, 1, 1)), "workers": [personas.worker.pk]}
    ).content.decode()
    assert "01-01-1800" in far and "ligt te ver terug" in far
    nobody = client.post(url, form_data(tomorrow)).content.decode()
    assert "Kies minstens één medewerker" in nobody
    assert not Appointment.objects.exists()


def test_only_workers_involved_in_the_household_can_be_chosen(personas: Personas) -> None:
    personas.make_worker_lead()
    starts = local_moment(timezone.localdate() + DAY, dt.time(9, 0))
    with pytest.raises(Exception) as refused:
        appointment_plan(
            household=personas.household,
            user=personas.worker,
            kind="home_visit",
            starts_at=starts,
            workers=[personas.colleague],
            allowed_workers=[personas.worker.pk],
        )
    assert "betrokken" in str(refused.value)


def test_a_change_on_an_old_page_is_refused_and_a_cancel_keeps_the_appointment(
    client: Client, personas: Personas
) -> None:
    personas.make_worker_lead()
    appointment = plan(personas)
    client.force_login(personas.worker)
    url = reverse("casework:appointment", args=[personas.household.pk, appointment.pk])
    tomorrow = timezone.localdate() + DAY
    moved = client.post(
        url,
        {
            **form_data(tomorrow, start="11:00", end="12:30"),
            "what": "change",
            "version": "1",
            "workers": [personas.worker.pk],
        },
    )
    assert moved.status_code == 302
    appointment.refresh_from_db()
    assert timezone.localtime(appointment.starts_at).hour == 11
    assert appointment.version == 2
    stale = client.post(
        url,
        {
            **form_data(tomorrow, start="15:00", note="Mijn tekst blijft staan"),
            "what": "change",
            "version": "1",
            "workers": [personas.worker.pk],
        },
    )
    assert stale.status_code == 400
    assert "Mijn tekst blijft staan" in stale.content.decode()
    assert "Iemand anders heeft dit gewijzigd" in stale.content.decode()
    appointment.refresh_from_db()
    assert timezone.localtime(appointment.starts_at).hour == 11
    without_reason = client.post(url, {"what": "cancel", "version": "2", "reason": " "})
    assert without_reason.status_code == 400
    assert "Schrijf waarom de afspraak niet doorgaat" in without_reason.content.decode()
    cancelled = client.post(url, {"what": "cancel", "version": "2", "reason": "Mevrouw is ziek"})
    assert cancelled.status_code == 302
    appointment.refresh_from_db()
    assert appointment.is_cancelled and appointment.cancel_reason == "Mevrouw is ziek"
    assert appointment.cancelled_by == personas.worker
    assert Appointment.objects.count() == 1  # never deleted
    file = client.get(reverse("workspace:household", args=[personas.household.pk]))
    assert "Mevrouw is ziek" in file.content.decode()
    # A cancelled appointment is not changed or cancelled again.
    again = client.post(url, {"what": "cancel", "version": "3", "reason": "Nogmaals"})
    assert again.status_code == 404
    with pytest.raises(Exception, match="afgezegd"):
        appointment_change(
            appointment=appointment,
            user=personas.worker,
            kind="home_visit",
            starts_at=appointment.starts_at,
            workers=[personas.worker],
            allowed_workers=[personas.worker.pk],
        )


def test_two_saves_from_the_same_version_cannot_both_win(personas: Personas) -> None:
    personas.make_worker_lead()
    appointment = plan(personas)
    second_tab = Appointment.objects.get(pk=appointment.pk)  # read before the cancel
    appointment_cancel(
        appointment=appointment, user=personas.worker, reason="Ziek", expected_version=1
    )
    with pytest.raises(ChangedMeanwhile):
        appointment_cancel(
            appointment=second_tab, user=personas.worker, reason="Ook ziek", expected_version=1
        )
    assert Appointment.objects.get(pk=appointment.pk).cancel_reason == "Ziek"


def test_who_may_not_change_the_file_gets_a_404_and_the_resident_reads_without_the_note(
    client: Client, personas: Personas
) -> None:
    personas.make_worker_lead()
    appointment = plan(personas, note="Alleen voor ons")
    urls = [
        reverse("casework:appointment-new", args=[personas.household.pk]),
        reverse("casework:appointment", args=[personas.household.pk, appointment.pk]),
    ]
    tomorrow = timezone.localdate() + DAY
    for user in (personas.resident, personas.colleague, personas.volunteer):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user.username, url)
            posted = client.post(
                url, {**form_data(tomorrow), "what": "cancel", "reason": "x", "version": "1"}
            )
            assert posted.status_code == 404, (user.username, url)
    appointment.refresh_from_db()
    assert not appointment.is_cancelled and Appointment.objects.count() == 1
    client.force_login(personas.resident)
    own_file = client.get(reverse("workspace:household", args=[personas.household.pk]))
    html = own_file.content.decode()
    assert "Huisbezoek" in html
    assert "Alleen voor ons" not in html
    assert "Plan een afspraak" not in html
    # The team leader of the serving team may change the file, so may plan.
    client.force_login(personas.team_leader)
    assert client.get(urls[0]).status_code == 200


def test_an_appointment_of_another_household_is_not_found_through_this_one(
    client: Client, personas: Personas
) -> None:
    personas.make_worker_lead()
    other = factories.MembershipFactory.create().household
    elsewhere = plan(personas, household=other)
    client.force_login(personas.worker)
    url = reverse("casework:appointment", args=[personas.household.pk, elsewhere.pk])
    assert client.get(url).status_code == 404


def _many(personas: Personas, n: int) -> None:
    today = timezone.localdate()
    for i in range(n):
        plan(personas, on=today + dt.timedelta(days=1 + i % 6), at=dt.time(8 + i % 9, 0))


def test_my_work_and_the_file_keep_their_number_of_queries_with_more_appointments(
    client: Client, personas: Personas
) -> None:
    personas.make_worker_lead()
    client.force_login(personas.worker)
    pages = [
        reverse("workspace:my-work"),
        reverse("workspace:household", args=[personas.household.pk]),
    ]
    _many(personas, 2)
    counts = []
    for url in pages:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))
    _many(personas, 18)
    for url, before in zip(pages, counts, strict=True):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert len(queries) == before, url


def test_my_work_shows_no_appointments_of_a_household_the_worker_left(
    client: Client, personas: Personas
) -> None:
    involvement = personas.make_worker_lead()
    plan(personas)
    involvement.end_date = timezone.localdate() - DAY
    involvement.save()
    client.force_login(personas.worker)
    page = client.get(reverse("workspace:my-work")).content.decode()
    assert personas.household.address.street_line not in page


# The calendar feed ---------------------------------------------------------------------


def feed_of(client: Client, token: str) -> Any:
    return client.get(reverse("calendar:feed", args=[token]))


def test_the_feed_validates_and_shows_no_names_or_address_unless_the_worker_opts_in(
    personas: Personas,
) -> None:
    personas.make_worker_lead()
    kept = plan(personas, with_others="zus Els")
    dropped = plan(personas, at=dt.time(14, 0))
    appointment_cancel(appointment=dropped, user=personas.worker, reason="Ziek")
    token = calendar_feed_renew(user=personas.worker)
    assert CalendarFeed.objects.get().token_hash != token  # only the hash is kept
    anonymous = Client()
    before = AuditEvent.objects.count()
    response = feed_of(anonymous, token)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    calendar = Calendar.from_ical(response.content)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"{kept.uid}@buurtkracht", f"{dropped.uid}@buurtkracht"}
    assert str(events[f"{dropped.uid}@buurtkracht"]["STATUS"]) == "CANCELLED"
    assert str(events[f"{kept.uid}@buurtkracht"]["STATUS"]) == "CONFIRMED"
    start = events[f"{kept.uid}@buurtkracht"].decoded("DTSTART")
    assert start == kept.starts_at
    assert str(events[f"{kept.uid}@buurtkracht"]["SUMMARY"]) == "Huisbezoek"
    assert "Lindenbuurt" in str(events[f"{kept.uid}@buurtkracht"]["LOCATION"])
    person = personas.household.members.get()
    for private in (person.surname, personas.household.address.street, "zus Els"):
        assert private not in body
    assert AuditEvent.objects.count() == before  # nothing about residents shown
    calendar_feed_set_names(user=personas.worker, show_names=True)
    named = feed_of(anonymous, token).content.decode()
    Calendar.from_ical(named)
    assert person.surname in named and personas.household.address.street in named
    look = AuditEvent.objects.order_by("-sequence").first()
    assert look is not None and look.actor_id == personas.worker.pk
    assert look.details["page"] == "calendar feed"
    assert list(look.subjects.values_list("person_id", flat=True)) == [person.pk]


def test_the_uid_stays_when_the_appointment_changes(personas: Personas) -> None:
    personas.make_worker_lead()
    appointment = plan(personas)
    token = calendar_feed_renew(user=personas.worker)
    first = Calendar.from_ical(feed_of(Client(), token).content).walk("VEVENT")[0]
    appointment_change(
        appointment=appointment,
        user=personas.worker,
        kind="conversation",
        starts_at=appointment.starts_at + dt.timedelta(hours=2),
        workers=[personas.worker],
        allowed_workers=[personas.worker.pk],
        expected_version=1,
    )
    second = Calendar.from_ical(feed_of(Client(), token).content).walk("VEVENT")[0]
    assert str(first["UID"]) == str(second["UID"])
    assert int(str(second["SEQUENCE"])) > int(str(first["SEQUENCE"]))
    assert str(second["SUMMARY"]) == "Gesprek"


def test_a_renewed_address_stops_the_old_one_and_a_wrong_one_is_not_found(
    client: Client, personas: Personas
) -> None:
    personas.make_worker_lead()
    plan(personas)
    client.force_login(personas.worker)
    settings_url = reverse("calendar:settings")
    made = client.post(settings_url, {"what": "renew"})
    assert made.status_code == 200
    old_url = made.context["new_url"]
    assert old_url in made.content.decode()
    old_token = old_url.rstrip("/").rsplit("/", 1)[1].removesuffix(".ics")
    assert feed_of(Client(), old_token).status_code == 200
    # The address is shown once: the page does not show it again.
    assert old_url not in client.get(settings_url).content.decode()
    renewed = client.post(settings_url, {"what": "renew"})
    new_token = renewed.context["new_url"].rsplit("/", 1)[1].removesuffix(".ics")
    assert new_token != old_token
    assert feed_of(Client(), old_token).status_code == 404
    assert feed_of(Client(), new_token).status_code == 200
    assert feed_of(Client(), "geraden-" + new_token[:-8]).status_code == 404
    names = client.post(settings_url, {"what": "names", "show_names": "on"})
    assert names.status_code == 302
    assert CalendarFeed.objects.get(user=personas.worker).show_names
    stopped = client.post(settings_url, {"what": "stop"})
    assert stopped.status_code == 302
    assert feed_of(Client(), new_token).status_code == 404


def test_the_feed_of_a_deactivated_account_stops(personas: Personas) -> None:
    personas.make_worker_lead()
    token = calendar_feed_renew(user=personas.worker)
    User.objects.filter(pk=personas.worker.pk).update(is_active=False)
    assert feed_of(Client(), token).status_code == 404


def test_the_feed_settings_are_for_workers_and_team_leaders(
    client: Client, personas: Personas
) -> None:
    for user, status in (
        (personas.worker, 200),
        (personas.team_leader, 200),
        (personas.resident, 404),
        (personas.policy_advisor, 404),
    ):
        client.force_login(user)
        assert client.get(reverse("calendar:settings")).status_code == status, user.username


# The nights the clocks change ----------------------------------------------------------


@pytest.mark.parametrize("night", ["spring-forward", "fall-back"])
def test_appointments_on_the_nights_the_clocks_change(
    client: Client, personas: Personas, night: str
) -> None:
    personas.make_worker_lead()
    moment = instant(night)
    with time_machine.travel(moment, tick=True):
        today = timezone.localdate()
        assert today == moment.date()
        early = plan(personas, on=today, at=dt.time(1, 30), hours=2)  # over the switch
        late = plan(personas, on=today, at=dt.time(23, 0))
        plan(personas, on=today + DAY, at=dt.time(0, 30))
        due = list(appointments_due_for_reminder(today))
        assert due == [early, late]
        # Two real hours from 01:30 end at 04:30 on the clock in spring and at the
        # second 02:30 in autumn.
        real = early.ends_at.astimezone(dt.UTC) - early.starts_at.astimezone(dt.UTC)
        assert real == dt.timedelta(hours=2)  # planned as two real hours
        assert timezone.localtime(early.starts_at).time() == dt.time(1, 30)
        expected_end = dt.time(4, 30) if night == "spring-forward" else dt.time(2, 30)
        assert timezone.localtime(early.ends_at).time() == expected_end
        client.force_login(personas.worker)
        page = client.get(reverse("workspace:my-work")).content.decode()
        assert "Vandaag 01:30" in page and "Vandaag 23:00" in page
        assert "Morgen 00:30" in page
        token = calendar_feed_renew(user=personas.worker)
        events = Calendar.from_ical(feed_of(Client(), token).content).walk("VEVENT")
        assert sorted(e.decoded("DTSTART") for e in events)[0] == early.starts_at


def test_a_time_the_clocks_skip_is_refused_with_a_clear_message(
    client: Client, personas: Personas
) -> None:
    personas.make_worker_lead()
    with time_machine.travel(instant("before-opening"), tick=True):
        spring = dt.date(2027, 3, 28)
        assert local_moment(spring, dt.time(3, 0)).utcoffset() == dt.timedelta(hours=2)
        client.force_login(personas.worker)
        response = client.post(
            reverse("casework:appointment-new", args=[personas.household.pk]),
            {**form_data(spring, start="02:30", end="03:30"), "workers": [personas.worker.pk]},
        )
        assert response.status_code == 400
        assert "bestaat niet op 28-03-2027" in response.content.decode()
        assert not Appointment.objects.exists()
        # The hour that happens twice in autumn: the first of the two.
        autumn = local_moment(dt.date(2027, 10, 31), dt.time(2, 30))
        assert autumn.astimezone(dt.UTC) == dt.datetime(2027, 10, 31, 0, 30, tzinfo=dt.UTC)
        assert autumn.astimezone(AMSTERDAM).utcoffset() == dt.timedelta(hours=2)
