"""Preferences per kind decide the channel; the daily e-mail goes out once a day per user,
whatever the hour or how often the command runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from buurtkracht.notifications.kinds import Channel, Kind
from buurtkracht.notifications.models import Digest, Notification
from buurtkracht.notifications.services import digests_send, notify, preferences_set
from tests.clock import at_each_awkward_instant
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def tell(personas: Personas, key: str, kind: str = Kind.INTAKE_NEW) -> int:
    return notify(
        recipients=[personas.worker], kind=kind, link="/aanmeldingen/", key=key, text="Iets"
    )


@pytest.fixture
def worker(personas: Personas) -> Personas:
    personas.worker.email = "wijkwerker@gemeente.example"
    personas.worker.save()
    return personas


def test_one_event_notifies_once(worker: Personas) -> None:
    assert tell(worker, "intake:1") == 1
    assert tell(worker, "intake:1") == 0
    assert Notification.objects.count() == 1


def test_the_actor_and_inactive_users_are_not_told(worker: Personas) -> None:
    worker.colleague.is_active = False
    worker.colleague.save()
    told = notify(
        recipients=[worker.worker, worker.colleague],
        kind=Kind.INTAKE_NEW,
        link="/aanmeldingen/",
        key="intake:2",
        actor=worker.worker,
    )
    assert told == 0


def test_a_link_leaves_the_site_never(worker: Personas) -> None:
    for link in ("https://example.org/", "//example.org/", "javascript:alert(1)"):
        with pytest.raises(ValueError):
            notify(recipients=[worker.worker], kind=Kind.INTAKE_NEW, link=link, key="x")


def test_preferences_decide_the_channel(
    worker: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    preferences_set(user=worker.worker, channels={Kind.INTAKE_NEW: Channel.OFF})
    assert tell(worker, "intake:off") == 0
    preferences_set(user=worker.worker, channels={Kind.INTAKE_NEW: Channel.IN_APP})
    with django_capture_on_commit_callbacks(execute=True):
        tell(worker, "intake:in-app")
    assert not mail.outbox
    preferences_set(user=worker.worker, channels={Kind.INTAKE_NEW: Channel.EMAIL})
    with django_capture_on_commit_callbacks(execute=True):
        tell(worker, "intake:mail")
    assert len(mail.outbox) == 1
    assert Notification.objects.get(dedupe_key="intake:mail").emailed_at is not None
    # The default of a kind nobody chose for: an intake comes in the daily e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        tell(worker, "assigned:1", Kind.ACTION_DUE)
    assert len(mail.outbox) == 1


def test_the_preferences_page_saves_a_choice_per_kind(worker: Personas) -> None:
    client = Client()
    client.force_login(worker.worker)
    page = client.get("/meldingen/instellingen/")
    assert page.status_code == 200
    data = {kind: Channel.IN_APP for kind in Kind.values} | {Kind.VISIT_FLAGGED: Channel.OFF}
    response = client.post("/meldingen/instellingen/", data)
    assert response.status_code == 302
    assert tell(worker, "visit:1", Kind.VISIT_FLAGGED) == 0
    # A channel that does not exist: an error, nothing saved.
    response = client.post("/meldingen/instellingen/", data | {Kind.VISIT_FLAGGED: "pigeon"})
    assert response.status_code == 200
    assert "geen beschikbare keuze" in response.content.decode()
    assert tell(worker, "visit:2", Kind.VISIT_FLAGGED) == 0


@at_each_awkward_instant
def test_the_daily_email_goes_out_once_a_day(worker: Personas, clock_instant: dt.datetime) -> None:
    tell(worker, "intake:a")
    tell(worker, "intake:b")
    call_command("send_digests")
    call_command("send_digests")  # again the same day: nothing more
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert body.count("/aanmeldingen/") == 2  # the two items
    assert "/meldingen/" in body  # and the list
    assert Digest.objects.get().day == timezone.localdate()
    # Something new the same day waits for tomorrow's e-mail…
    tell(worker, "intake:c")
    assert digests_send() == 0
    # …which comes on the next day in Amsterdam, whatever the hour.
    with time_machine.travel(clock_instant + dt.timedelta(days=1), tick=True):
        assert digests_send() == 1
    assert "intake" not in mail.outbox[1].subject
    assert len(mail.outbox) == 2


def test_read_notifications_and_users_without_address_get_no_digest(worker: Personas) -> None:
    tell(worker, "intake:r")
    Notification.objects.update(read_at=timezone.now())
    assert digests_send() == 0
    worker.worker.email = ""
    worker.worker.save()
    tell(worker, "intake:s")
    assert digests_send() == 0
