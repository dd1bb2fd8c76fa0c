"""A worker's private calendar feed (iCalendar, RFC 5545) for their phone's calendar
(docs/appointments.md).

By default an event says only what kind of appointment it is, when, and in which
neighbourhood or at which office: a phone calendar is read on lock screens, synced to
other services and shared with family. Names and the home address come in only when the
worker turned them on; such a fetch is then written in the access log by the view.

Times are written in UTC (a `Z` time): every calendar shows them in its own zone, and a
night when the clocks change cannot shift them. Each event's UID is the appointment's
own random id, so a changed appointment replaces itself and a cancelled one is marked
STATUS:CANCELLED rather than vanishing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from buurtkracht.casework.models import Appointment

PRODID = "-//Buurtkracht//Agenda//NL"


def _summary(appointment: Appointment, with_names: bool) -> str:
    summary = str(appointment.get_kind_display()).capitalize()
    if with_names:
        names = [m.person.full_name for m in getattr(appointment.household, "members_now", [])]
        if names:
            summary = f"{summary}: {', '.join(names)}"
    return summary


def _location(appointment: Appointment, with_names: bool) -> str:
    household = appointment.household
    if appointment.place == Appointment.Place.HOME:
        if with_names:
            return str(household.address)
        neighbourhood = household.neighbourhood
        where = str(_("At home"))
        return f"{where}, {neighbourhood.name}" if neighbourhood else where
    if appointment.place == Appointment.Place.OFFICE:
        return appointment.place_text  # the office's address is no resident's data
    # Somewhere else may name the resident's school or family: only with names.
    return appointment.place_text if with_names else str(_("Somewhere else"))


def _description(appointment: Appointment, with_names: bool, link: str) -> str:
    lines = [
        str(_("Who goes: %(workers)s"))
        % {"workers": ", ".join(str(worker) for worker in appointment.workers.all())}
    ]
    if with_names and appointment.with_others:
        lines.append(str(_("Also there: %(who)s")) % {"who": appointment.with_others})
    if appointment.is_cancelled:
        lines.append(str(_("Cancelled.")))
    lines.append(str(_("The file: %(link)s")) % {"link": link})
    return "\n".join(lines)


def calendar_for(
    appointments: Iterable[Appointment],
    *,
    with_names: bool,
    link_for: Callable[[Appointment], str],
    now: dt.datetime | None = None,
) -> bytes:
    """The feed as iCalendar bytes. `link_for` gives each appointment's page address
    (only a number: it opens nothing without signing in)."""
    now = now or timezone.now()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", str(_("Buurtkracht appointments")))
    calendar.add("x-wr-timezone", "Europe/Amsterdam")
    # Phones fetch again after this; an hour keeps a change visible the same morning.
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for appointment in appointments:
        event = Event()
        event.add("uid", f"{appointment.uid}@buurtkracht")
        event.add("dtstamp", now.astimezone(dt.UTC))
        event.add("last-modified", appointment.updated_at.astimezone(dt.UTC))
        event.add("sequence", appointment.version)
        event.add("dtstart", appointment.starts_at.astimezone(dt.UTC))
        event.add("dtend", appointment.ends_at.astimezone(dt.UTC))
        event.add("summary", _summary(appointment, with_names))
        event.add("location", _location(appointment, with_names))
        event.add("description", _description(appointment, with_names, link_for(appointment)))
        event.add("status", "CANCELLED" if appointment.is_cancelled else "CONFIRMED")
        event.add("class", "PRIVATE")
        calendar.add_component(event)
    return bytes(calendar.to_ical())
