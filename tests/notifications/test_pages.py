"""The list behind the badge, the badge itself (one query, its count in the link's
accessible name), and the demo's page of sent mail."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings

from buurtkracht.notifications.kinds import Kind
from buurtkracht.notifications.mailbox import BACKEND
from buurtkracht.notifications.models import DemoMail, Notification
from buurtkracht.notifications.services import notify
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def tell(user: Any, n: int, link: str = "/aanmeldingen/") -> None:
    for i in range(n):
        notify(recipients=[user], kind=Kind.INTAKE_NEW, link=link, key=f"e:{user.pk}:{i}")


def badge_link(html: str) -> str:
    found = re.search(r'<a[^>]*href="/meldingen/"[^>]*>.*?</a>', html, re.S)
    assert found, "no notifications link in the menu"
    return found.group(0)


def test_the_badge_counts_unread_in_the_accessible_name(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.worker)
    assert "bk-badge" not in badge_link(client.get("/").content.decode())
    tell(personas.worker, 3)
    link = badge_link(client.get("/").content.decode())
    # The badge is for the eye; the words in the link's name are for the ear.
    assert '<span class="bk-badge" aria-hidden="true">3</span>' in link
    assert '<span class="bk-visually-hidden">, 3 ongelezen</span>' in link


def test_the_badge_is_one_query_whatever_the_count(
    personas: Personas, django_assert_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(personas.worker)
    client.get("/meldingen/")
    with CaptureQueriesContext(connection) as none:
        client.get("/meldingen/instellingen/")
    tell(personas.worker, 30)
    with CaptureQueriesContext(connection) as many:
        client.get("/meldingen/instellingen/")
    assert len(many) == len(none)
    badge = [q for q in many.captured_queries if "notifications_notification" in q["sql"]]
    assert len(badge) == 1


def test_a_resident_has_no_notifications_item(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.resident)
    assert 'href="/meldingen/"' not in client.get("/").content.decode()


def test_the_list_marks_read_one_and_all_and_shows_only_ones_own(personas: Personas) -> None:
    tell(personas.worker, 2, link=f"/huishoudens/{personas.household.pk}/")
    tell(personas.colleague, 1)
    client = Client()
    client.force_login(personas.worker)
    page = client.get("/meldingen/").content.decode()
    assert page.count('class="bk-card"') == 2
    mine = Notification.objects.filter(recipient=personas.worker).order_by("pk")
    other = Notification.objects.get(recipient=personas.colleague)
    # Someone else's notification: 404, and it stays unread.
    assert client.post(f"/meldingen/{other.pk}/gelezen/").status_code == 404
    assert client.post(f"/meldingen/{other.pk}/openen/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None
    response = client.post(f"/meldingen/{mine[0].pk}/openen/")
    assert response["Location"] == f"/huishoudens/{personas.household.pk}/"
    assert Notification.objects.filter(recipient=personas.worker, read_at__isnull=True).count() == 1
    client.post("/meldingen/alles-gelezen/")
    assert not Notification.objects.filter(recipient=personas.worker, read_at__isnull=True).exists()
    assert client.get("/meldingen/gelezen/").status_code == 404


def test_the_demo_mail_page_is_for_the_functional_admin_in_the_demo_only(
    personas: Personas,
) -> None:
    with override_settings(EMAIL_BACKEND=BACKEND):
        from django.core.mail import send_mail

        send_mail(
            "Activeer uw account", "Open http://x/accounts/activeren/geheim123/ nu.", "a@b", ["c@d"]
        )
        assert DemoMail.objects.count() == 1
        admin = Client()
        admin.force_login(personas.functional_admin)
        page = admin.get("/meldingen/demo-post/").content.decode()
        assert "Activeer uw account" in page
        assert "geheim123" not in page  # the owner's link is the owner's only
        for user in (personas.worker, personas.privacy_officer):
            other = Client()
            other.force_login(user)
            assert other.get("/meldingen/demo-post/").status_code == 404
    # With a real mail server there is no such page.
    assert admin.get("/meldingen/demo-post/").status_code == 404
    assert not mail.outbox
