"""The demo gives `wijkwerker` and `teamleider` unread notifications and keeps the mail it
sent for the functional administrator's demo page; none of it names a resident."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client, override_settings

from buurtkracht.accounts.models import User
from buurtkracht.demo.generator import generate_municipality
from buurtkracht.households.models import Person
from buurtkracht.notifications.kinds import Kind
from buurtkracht.notifications.mailbox import BACKEND
from buurtkracht.notifications.models import DemoMail, Notification

pytestmark = pytest.mark.django_db


@override_settings(EMAIL_BACKEND=BACKEND)
def test_the_demo_tells_the_worker_and_the_team_leader() -> None:
    generate_municipality(seed=3, households=300, batch_size=300, progress=False)
    unread = Notification.objects.filter(read_at__isnull=True)
    worker = set(unread.filter(recipient__username="wijkwerker").values_list("kind", flat=True))
    leader = set(unread.filter(recipient__username="teamleider").values_list("kind", flat=True))
    assert Kind.HOUSEHOLD_ASSIGNED in worker
    assert {Kind.INTAKE_NEW, Kind.EMERGENCY_ACCESS} <= leader
    # Generated months of events told nobody: only what waits today.
    assert Notification.objects.count() < 200
    assert DemoMail.objects.exists()
    assert not mail.outbox  # kept by the demo's backend, not sent
    surnames = set(Person.objects.values_list("surname", flat=True))
    for body in DemoMail.objects.values_list("body", flat=True):
        assert not any(f" {name}" in body for name in surnames if len(name) > 3)
    admin = Client()
    admin.force_login(User.objects.get(username="beheer"))
    page = admin.get("/meldingen/").content.decode()
    assert "/meldingen/demo-post/" in page
    assert admin.get("/meldingen/demo-post/").status_code == 200
