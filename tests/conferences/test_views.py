"""The pages: who opens what, named or anonymised per reader, every named look logged."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from buurtkracht.accounts.models import User
from buurtkracht.audit.models import AuditEvent
from buurtkracht.casework.models import Action, Step
from buurtkracht.conferences.models import Case, Conference, Precedent
from buurtkracht.conferences.services import case_action_add, case_decide, precedent_mark
from buurtkracht.notifications.models import Notification
from tests import factories
from tests.conferences.helpers import (
    ANONYMISED,
    QUESTION,
    bring_case,
    consent_debt_bank,
    identifying,
    resident,
    schedule,
)
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _decided(personas: Personas) -> Case:
    case = bring_case(personas, schedule(personas))
    case_decide(
        case=case,
        decision="Snelle intake bij de kredietbank aanvragen",
        reasons="De huurachterstand loopt op.",
        user=personas.team_leader,
    )
    case_action_add(
        case=case,
        goal=None,
        goal_text="Rust in de financiën",
        domain="finances",
        description="Aanmelden voor de snelle intake",
        owner=resident(personas).full_name,
        step=Step.OWN_STRENGTH,
        due_date=None,
        user=personas.team_leader,
    )
    return case


def test_the_debt_bank_without_consent_reads_the_case_anonymised_everywhere(
    personas: Personas,
) -> None:
    case = _decided(personas)
    precedent_mark(
        case=case,
        title="Huurachterstand en snelle intake",
        situation="Gezin met drie kinderen, huurachterstand.",
        consideration="Budgetbeheer alleen is te traag.",
        decision="Snelle intake.",
        principle="Wonen gaat voor.",
        domain="housing",
        user=personas.team_leader,
    )
    client = _client(personas.outside_professional)
    pages = [
        client.get(reverse("conferences:detail", args=[case.conference_id])),
        client.get(reverse("conferences:list")),
        client.get(reverse("workspace:my-work")),
        client.get(reverse("notifications:list")),
    ]
    for response in pages:
        assert response.status_code == 200
        body = response.content.decode()
        for word in identifying(personas):
            assert word not in body, (response.request["PATH_INFO"], word)
    agenda = pages[0].content.decode()
    assert ANONYMISED in agenda and QUESTION in agenda
    assert "Aanmelden voor de snelle intake" in agenda  # the minutes, without the owner
    # The precedent a colleague of another team reads names nobody either.
    precedent_page = _client(personas.colleague).get(
        reverse("conferences:precedent", args=[case.precedent.pk])
    )
    assert precedent_page.status_code == 200
    for word in identifying(personas):
        assert word not in precedent_page.content.decode()
    # Precedents are the team's: the partner has no search and no precedent page.
    assert client.get(reverse("conferences:precedents")).status_code == 404
    assert client.get(reverse("conferences:precedent", args=[case.precedent.pk])).status_code == 404
    # Nothing named was shown, so nothing was logged as a look at the resident.
    assert not AuditEvent.objects.filter(
        actor_id=personas.outside_professional.pk, action="read"
    ).exists()
    # No notification anywhere names the household.
    for notification in Notification.objects.all():
        for word in identifying(personas):
            assert word not in notification.text


def test_with_consent_the_debt_bank_reads_the_case_by_name_and_the_look_is_logged(
    personas: Personas,
) -> None:
    case = _decided(personas)
    consent_debt_bank(personas)
    response = _client(personas.outside_professional).get(
        reverse("conferences:detail", args=[case.conference_id])
    )
    body = response.content.decode()
    assert resident(personas).surname in body
    assert personas.household.address.street in body
    look = AuditEvent.objects.get(actor_id=personas.outside_professional.pk, action="read")
    assert look.ground == "consent" and look.subject_ids == [resident(personas).pk]


@pytest.mark.parametrize("who", ["worker", "team_leader"])
def test_the_team_reads_the_case_by_name_and_the_look_is_logged(
    personas: Personas, who: str
) -> None:
    case = _decided(personas)
    user = getattr(personas, who)
    body = _client(user).get(reverse("conferences:detail", args=[case.conference_id])).content
    assert resident(personas).surname in body.decode()
    assert AuditEvent.objects.filter(
        actor_id=user.pk, action="read", subject_ids=[resident(personas).pk]
    ).exists()


@pytest.mark.parametrize(
    "who",
    ["colleague", "volunteer", "partner_liaison", "privacy_officer", "circle_member", "resident"],
)
def test_others_do_not_find_the_conference(personas: Personas, who: str) -> None:
    case = _decided(personas)
    client = _client(getattr(personas, who))
    conference = case.conference_id
    for url in (
        reverse("conferences:detail", args=[conference]),
        reverse("conferences:case-new", args=[conference]),
        reverse("conferences:case", args=[conference, case.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_schedule_add_decide_and_mark_through_the_pages(personas: Personas) -> None:
    personas.make_worker_lead()
    worker = _client(personas.worker)
    team = personas.team_leader.team_memberships.get().team
    day = (timezone.localdate() + dt.timedelta(days=3)).strftime("%d-%m-%Y")
    refused = worker.post(
        reverse("conferences:new"),
        {
            "team": team.pk,
            "kind": "multidisciplinary",
            "day": day,
            "time": "10:00",
            "place": "Zaal 2",
            "chair": personas.team_leader.pk,
            "participants": [personas.worker.pk],
        },
    )
    assert refused.status_code == 200
    assert "Zaal 2" in refused.content.decode()  # what was typed stays
    response = worker.post(
        reverse("conferences:new"),
        {
            "team": team.pk,
            "kind": "multidisciplinary",
            "day": day,
            "time": "10:00",
            "place": "Zaal 2",
            "chair": personas.team_leader.pk,
            "participants": [personas.worker.pk, personas.outside_professional.pk],
        },
    )
    conference = Conference.objects.get()
    assert response["Location"] == reverse("conferences:detail", args=[conference.pk])
    response = worker.post(
        reverse("conferences:case-new", args=[conference.pk]),
        {"household": personas.household.pk, "anonymised": ANONYMISED, "question": QUESTION},
    )
    case = Case.objects.get()
    leader = _client(personas.team_leader)
    case_url = reverse("conferences:case", args=[conference.pk, case.pk])
    assert worker.get(case_url).status_code == 404  # the chair's page
    leader.post(case_url, {"what": "decide", "decision": "Snelle intake", "reasons": "Schulden"})
    leader.post(
        case_url,
        {
            "what": "action",
            "description": "Intake plannen",
            "owner": "Kredietbank Test",
            "step": "4",
            "goal_text": "Schulden onder controle",
            "domain": "finances",
        },
    )
    assert Action.objects.get().goal.plan.household == personas.household
    plan = worker.get(reverse("casework:plan", args=[personas.household.pk])).content.decode()
    assert "Intake plannen" in plan
    leader.post(
        case_url,
        {
            "what": "precedent",
            "title": "Schulden en snelle intake",
            "situation": "Gezin met schulden",
            "consideration": "Snelheid",
            "decision": "Snelle intake",
            "principle": "Eerst rust",
            "domain": "finances",
        },
    )
    precedent = Precedent.objects.get()
    found = worker.get(reverse("conferences:precedents"), {"q": "intake"}).content.decode()
    assert precedent.title in found
    # The way back to the household: for the worker, who may read it; not a colleague.
    plan_link = reverse("casework:plan", args=[personas.household.pk])
    page = reverse("conferences:precedent", args=[precedent.pk])
    assert plan_link in worker.get(page).content.decode()
    colleague_page = _client(personas.colleague).get(page)
    assert colleague_page.status_code == 200
    assert plan_link not in colleague_page.content.decode()


def test_the_agenda_takes_the_same_queries_however_many_cases(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    case = _decided(personas)
    conference = case.conference
    hood = personas.household.address.neighbourhood
    url = reverse("conferences:detail", args=[conference.pk])
    for viewer in (personas.team_leader, personas.outside_professional):
        client = _client(viewer)
        client.get(url)
        with CaptureQueriesContext(connection) as one_case:
            client.get(url)
        for number in range(3):
            member = factories.MembershipFactory.create(household__address__neighbourhood=hood)
            Case.objects.create(
                conference=conference,
                household=member.household,
                anonymised=f"Casus {number}",
                question="Wat nu?",
                added_by=personas.team_leader,
            )
        with django_assert_max_num_queries(len(one_case)):
            assert client.get(url).status_code == 200
