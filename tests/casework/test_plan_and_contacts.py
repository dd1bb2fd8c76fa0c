"""The household's one plan in four steps, and contacts recorded in seconds."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import AuditEvent
from buurtkracht.casework.models import Contact, Goal, LifeDomain, Plan
from buurtkracht.casework.queries import plan_overview
from buurtkracht.casework.services import (
    PlanChangedMeanwhile,
    action_add,
    contact_record,
    goal_add,
    plan_get_or_create,
)
from tests.casework.stories import story_one_plan
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_plan_shows_the_four_steps(personas: Personas) -> None:
    story_one_plan(personas)
    overview = plan_overview(personas.household)
    assert [len(column.actions) for column in overview.steps] == [1, 1, 1, 1]
    assert overview.steps[0].actions[0].owner == "Mevrouw zelf"
    assert overview.open_actions == 4
    assert overview.plan is not None
    assert overview.plan.version == 6  # created, goal, four actions


def test_a_second_save_on_an_old_copy_is_refused_and_says_why(personas: Personas) -> None:
    plan = story_one_plan(personas)
    opened_version = plan.version
    goal_add(
        plan=plan, text="Weer werk vinden", domains=[LifeDomain.WORK], user=personas.team_leader
    )
    with pytest.raises(PlanChangedMeanwhile) as excinfo:
        goal_add(
            plan=Plan.objects.get(pk=plan.pk),
            text="Meer mensen om me heen",
            domains=[LifeDomain.SOCIAL_NETWORK],
            user=personas.worker,
            expected_version=opened_version,
        )
    assert "iemand anders" in excinfo.value.messages[0].lower()
    assert not Goal.objects.filter(text="Meer mensen om me heen").exists()


def test_goal_and_action_need_what_the_work_needs(personas: Personas) -> None:
    plan = plan_get_or_create(household=personas.household, user=personas.worker)
    with pytest.raises(ValidationError) as excinfo:
        goal_add(plan=plan, text=" ", domains=["nonsense"], user=personas.worker)
    assert set(excinfo.value.message_dict) == {"text", "domains"}
    goal = goal_add(
        plan=plan, text="Rust in huis", domains=[LifeDomain.FAMILY], user=personas.worker
    )
    with pytest.raises(ValidationError) as excinfo:
        action_add(goal=goal, description="", owner="", step=7, user=personas.worker)
    assert set(excinfo.value.message_dict) == {"description", "owner", "step"}


def test_every_change_is_in_the_audit_log(personas: Personas) -> None:
    story_one_plan(personas)
    person_id = personas.household.members.get().pk
    events = AuditEvent.objects.filter(actor_id=personas.worker.pk, subjects__person_id=person_id)
    assert events.filter(action=AuditAction.CREATE).count() == 1
    assert events.filter(action=AuditAction.UPDATE).count() == 5


def test_contact_in_one_post_from_the_household_page(client: Client, personas: Personas) -> None:
    personas.make_worker_lead()
    client.force_login(personas.worker)
    url = reverse("workspace:contact-add", args=[personas.household.pk])
    response = client.post(url, {"note": "Niemand thuis"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kies wat voor contact" in page
    assert "Niemand thuis" in page  # what was typed is kept
    response = client.post(
        url, {"kind": "home_visit", "note": "Koffie gedronken, brief meegenomen"}
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.worker == personas.worker
    page = client.get(reverse("workspace:household", args=[personas.household.pk])).content.decode()
    assert "Koffie gedronken" in page
    # Notes never reach the page title (tab titles and browser history).
    assert "Koffie" not in page.split("<title>")[1].split("</title>")[0]


def test_sensitive_notes_only_for_involved_workers(client: Client, personas: Personas) -> None:
    personas.make_worker_lead()
    contact_record(
        household=personas.household,
        worker=personas.worker,
        kind=Contact.Kind.PHONE,
        note="Zorgen over de veiligheid thuis",
        sensitive=True,
    )
    contact_record(
        household=personas.household,
        worker=personas.worker,
        kind=Contact.Kind.STREET,
        note="Even gegroet",
    )
    url = reverse("workspace:household", args=[personas.household.pk])
    client.force_login(personas.worker)
    assert "Zorgen over de veiligheid" in client.get(url).content.decode()
    for user in (personas.team_leader, personas.resident):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "Even gegroet" in page
        assert "Zorgen over de veiligheid" not in page


def test_only_involved_workers_and_team_leader_write(client: Client, personas: Personas) -> None:
    municipality = personas.household.address.neighbourhood.municipality  # type: ignore[union-attr]
    municipality.team_wide_reading = True
    municipality.save()
    # The worker reads through the team (not involved): reading yes, writing no.
    client.force_login(personas.worker)
    assert client.get(reverse("casework:plan", args=[personas.household.pk])).status_code == 200
    url = reverse("workspace:contact-add", args=[personas.household.pk])
    assert client.post(url, {"kind": "phone"}).status_code == 404
    client.force_login(personas.resident)
    assert client.post(url, {"kind": "phone"}).status_code == 404
    client.force_login(personas.team_leader)
    assert client.post(url, {"kind": "phone"}).status_code == 302
    assert Contact.objects.count() == 1


def test_plan_page_adds_goal_and_action_and_keeps_text_on_conflict(
    client: Client, personas: Personas
) -> None:
    personas.make_worker_lead()
    client.force_login(personas.worker)
    url = reverse("casework:plan", args=[personas.household.pk])
    response = client.post(
        url, {"what": "goal", "version": "0", "text": "Schulden regelen", "domains": ["finances"]}
    )
    assert response.status_code == 302
    goal = Goal.objects.get()
    response = client.post(
        url,
        {
            "what": "action",
            "version": str(goal.plan.version),
            "goal": str(goal.pk),
            "description": "Zelf de woonstichting bellen",
            "owner": "Mevrouw zelf",
            "step": "1",
        },
    )
    assert response.status_code == 302
    # A colleague's copy from before that change:
    stale = client.post(
        url,
        {
            "what": "action",
            "version": "1",
            "goal": str(goal.pk),
            "description": "Mijn tekst die niet verloren mag gaan",
            "owner": "Broer",
            "step": "2",
        },
    )
    assert stale.status_code == 400
    page = stale.content.decode()
    assert "Iemand anders heeft dit plan gewijzigd" in page
    assert "Mijn tekst die niet verloren mag gaan" in page
    page = client.get(url).content.decode()
    assert "1. Eigen kracht" in page
    assert "Zelf de woonstichting bellen" in page


def test_plan_page_query_count_does_not_grow_with_actions(
    client: Client, personas: Personas
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    personas.make_worker_lead()
    plan = story_one_plan(personas)
    client.force_login(personas.worker)
    url = reverse("casework:plan", args=[personas.household.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    goal = plan.goals.first()
    assert goal is not None
    for n in range(6):
        action_add(
            goal=goal, description=f"Actie {n}", owner="Mevrouw zelf", step=1, user=personas.worker
        )
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)
