"""Kitchen-table conversations: in the resident's words, recorded where involved, logged."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from buurtkracht.audit.models import Action, AuditEvent
from buurtkracht.casework.models import Conversation
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_record_a_conversation(client: Client, personas: Personas) -> None:
    personas.make_worker_lead()
    client.force_login(personas.worker)
    url = reverse("casework:conversations", args=[personas.household.pk])
    response = client.post(url, {"held_on": "01-11-2026", "wants": "Rust"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Dit veld is verplicht" in page or "in de eigen woorden" in page
    assert "Rust" in page  # what was typed is kept
    response = client.post(
        url,
        {
            "held_on": "01-11-2026",
            "with_whom": "Mevrouw en haar broer",
            "what_matters": "Dat de kinderen in hun eigen huis kunnen blijven wonen.",
            "helpers": "Broer Mehmet, buurvrouw Joke",
            "domains": ["finances", "housing"],
            "decided": "Samen naar de woonstichting.",
        },
    )
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert conversation.domains == ["finances", "housing"]
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="casework.Conversation"
    ).exists()
    page = client.get(url).content.decode()
    assert "eigen huis kunnen blijven wonen" in page
    assert "Financiën, wonen" in page


def test_resident_reads_but_does_not_record(client: Client, personas: Personas) -> None:
    client.force_login(personas.resident)
    url = reverse("casework:conversations", args=[personas.household.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"held_on": "01-11-2026", "what_matters": "x"}).status_code == 404
