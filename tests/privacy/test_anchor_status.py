"""The privacy officer's audit page shows whether the log matches its anchors outside the
database (issue 15, finding 5): the newest anchor, the newest full check, and a quick check
of the recent anchors against the database."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from buurtkracht.audit.models import AuditEvent
from tests.audit.test_anchors import delete_entries
from tests.audit.test_chain import write_events
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def audit_page(client: Client, personas: Personas) -> str:
    client.force_login(personas.privacy_officer)
    return client.get(reverse("audit:log")).content.decode()


def test_before_any_check_the_page_says_not_verified(client: Client, personas: Personas) -> None:
    page = audit_page(client, personas)
    assert "Verankering van het logboek" in page
    assert "Nog niet gecontroleerd." in page
    assert "nog geen" in page


def test_an_anchored_and_verified_log_is_shown_as_verified(
    client: Client, personas: Personas
) -> None:
    write_events(personas, 3)
    call_command("verify_audit_chain", stdout=StringIO())
    head = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True)[0]
    page = audit_page(client, personas)
    assert "Gecontroleerd: het logboek klopt met zijn ankers." in page
    assert f"tot en met regel #{head}" in page
    assert "intact" in page
    assert "Verbroken" not in page


def test_a_shortened_log_is_shown_as_broken(client: Client, personas: Personas) -> None:
    events = write_events(personas, 4)
    call_command("verify_audit_chain", stdout=StringIO())
    delete_entries("from", events[2].sequence)
    page = audit_page(client, personas)
    assert "Verbroken: het logboek klopt niet meer met zijn ankers." in page
    assert f"Entry {events[3].sequence}: anchored at" in page
    # Also after a later full check, which records the result.
    with pytest.raises(CommandError):
        call_command("verify_audit_chain", stdout=StringIO(), stderr=StringIO())
    assert "Verbroken" in audit_page(client, personas)
