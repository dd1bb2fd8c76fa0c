"""The plan on paper: plain Dutch, one goal per block, every look logged."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import AuditEvent
from buurtkracht.casework.models import LifeDomain, Step
from buurtkracht.casework.services import action_add, goal_add
from tests.casework.stories import story_one_plan
from tests.conftest import Personas
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_printed_plan_says_the_goal_and_the_four_steps_in_plain_dutch(
    personas: Personas,
) -> None:
    personas.make_worker_lead()
    story_one_plan(personas)
    response = _client(personas.worker).get(
        reverse("casework:plan-print", args=[personas.household.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    text = _pdf_text(response.content)
    assert "Ons plan" in text
    assert "huurachterstand" in text
    # The four steps as a resident would ask them, not as policy words.
    for question in [
        "Wat doe ik zelf?",
        "Wie om mij heen helpt?",
        "Welke hulp is er in de buurt?",
        "Welke hulpverlener helpt?",
    ]:
        assert question in text
    assert "Post sorteren" in text
    assert f"Uw contactpersoon: {personas.worker.get_full_name()} · pagina 1 van 1" in text
    event = AuditEvent.objects.filter(action=AuditAction.PRINT).latest("pk")
    assert event.actor_id == personas.worker.pk
    assert event.allowed


def test_names_outside_latin_1_print(personas: Personas) -> None:
    personas.make_worker_lead()
    plan = story_one_plan(personas)
    goal = goal_add(
        plan=plan,
        text="Şükran wil weer naar de inloop in Łódźstraat",
        domains=[LifeDomain.SOCIAL_NETWORK],
        user=personas.worker,
    )
    action_add(
        goal=goal,
        description="Samen gaan",
        owner="Buurvrouw Ağa",
        step=Step.NETWORK,
        user=personas.worker,
    )
    response = _client(personas.worker).get(
        reverse("casework:plan-print", args=[personas.household.pk])
    )
    text = _pdf_text(response.content)
    assert "Şükran" in text
    assert "Ağa" in text


def test_the_resident_prints_their_own_plan_and_an_outsider_gets_nothing(
    personas: Personas,
) -> None:
    story_one_plan(personas)
    url = reverse("casework:plan-print", args=[personas.household.pk])
    assert _client(personas.resident).get(url).status_code == 200
    assert _client(personas.colleague).get(url).status_code == 404
    refused = AuditEvent.objects.filter(action=AuditAction.PRINT, allowed=False).latest("pk")
    assert refused.actor_id == personas.colleague.pk
    anonymous = Client().get(url)
    assert anonymous.status_code == 302


def test_the_plan_page_offers_the_print_only_when_there_is_a_goal(personas: Personas) -> None:
    personas.make_worker_lead()
    client = Client()
    assert client.login(username=personas.worker.username, password=PASSWORD)
    page = client.get(reverse("casework:plan", args=[personas.household.pk]))
    assert "Plan op papier" not in page.content.decode()
    story_one_plan(personas)
    page = client.get(reverse("casework:plan", args=[personas.household.pk]))
    assert "Plan op papier voor thuis (pdf)" in page.content.decode()


def test_the_printed_plan_shows_each_goal_state_in_the_residents_words(
    personas: Personas,
) -> None:
    from django.utils import timezone

    from buurtkracht.casework.services import goal_close

    personas.make_worker_lead()
    plan = story_one_plan(personas)
    stopped = goal_add(
        plan=plan, text="Een andere woning zoeken", domains=["housing"], user=personas.worker
    )
    goal_close(
        goal=plan.goals.get(text__startswith="Ik wil"),
        status="reached",
        words="Alles is afbetaald.",
        closed_on=timezone.localdate(),
        user=personas.worker,
    )
    goal_close(
        goal=stopped,
        status="stopped",
        words="Ik blijf hier wonen.",
        closed_on=timezone.localdate(),
        user=personas.worker,
    )
    response = _client(personas.resident).get(
        reverse("casework:plan-print", args=[personas.household.pk])
    )
    text = " ".join(_pdf_text(response.content).split())
    assert "1 van 2 doelen bereikt." in text
    assert "Doel 1 — bereikt op" in text
    assert "Doel 2 — gestopt op" in text
    assert "In mijn woorden: “Alles is afbetaald.”" in text
    assert "In mijn woorden: “Ik blijf hier wonen.”" in text
