"""Co-writing the plan (issue 19, item 2): the resident proposes in their own words, a
worker accepts or wants to talk about it; nothing is applied without the worker and the
resident's words are never changed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtkracht.accounts.models import Role
from buurtkracht.accounts.services import role_grant
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import AuditEvent, Ground
from buurtkracht.casework.models import Action, Goal, LifeDomain, Plan, PlanProposal, Step
from buurtkracht.casework.queries import worklist
from buurtkracht.casework.services import (
    action_add,
    goal_add,
    plan_get_or_create,
    proposal_accept,
    proposal_discuss,
    proposal_make,
)
from buurtkracht.notifications.models import Notification
from tests import factories
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

Kind = PlanProposal.Kind
WORDS = "Ik wil  weer zelf mijn post openmaken, elke week!"


def _plan(personas: Personas) -> Plan:
    personas.make_worker_lead()
    return plan_get_or_create(household=personas.household, user=personas.worker)


def _goal(personas: Personas) -> Goal:
    return goal_add(
        plan=_plan(personas),
        text="Rust in mijn geldzaken",
        domains=["finances"],
        user=personas.worker,
    )


def _action(goal: Goal, personas: Personas, step: int = Step.OWN_STRENGTH) -> Action:
    return action_add(
        goal=goal,
        description="Elke maandag de post openen",
        owner="Zelf",
        step=step,
        user=personas.worker,
    )


def _propose(personas: Personas, kind: str, **kwargs: object) -> PlanProposal:
    return proposal_make(
        household=personas.household,
        kind=kind,
        user=personas.resident,
        ground=Ground.OWN_DATA,
        **kwargs,  # type: ignore[arg-type]
    )


def test_a_proposed_goal_is_not_in_the_plan_until_accepted_then_word_for_word(
    personas: Personas,
) -> None:
    plan = _plan(personas)
    proposal = _propose(personas, Kind.NEW_GOAL, text=WORDS)
    assert not Goal.objects.filter(plan=plan).exists()
    assert proposal.state == PlanProposal.State.WAITING
    # The lead worker is told, in words that name no resident.
    note = Notification.objects.get(recipient=personas.worker)
    assert note.kind == "plan_proposal"
    assert personas.household.address.street_line not in note.text
    # A new goal tied to no life domain needs one from the worker.
    with pytest.raises(ValidationError):
        proposal_accept(proposal=proposal, user=personas.worker, ground=Ground.INVOLVEMENT)
    proposal.refresh_from_db()
    assert proposal.state == PlanProposal.State.WAITING
    proposal_accept(
        proposal=proposal, user=personas.worker, ground=Ground.INVOLVEMENT, domains=["work"]
    )
    goal = Goal.objects.get(plan=plan)
    assert goal.text == WORDS.strip()
    assert goal.domains == ["work"]
    proposal.refresh_from_db()
    assert proposal.text == WORDS.strip()
    assert (proposal.state, proposal.decided_by, proposal.result_goal) == (
        PlanProposal.State.ACCEPTED,
        personas.worker,
        goal,
    )


def test_a_proposal_is_decided_once(personas: Personas) -> None:
    goal = _goal(personas)
    proposal = _propose(personas, Kind.GOAL_CHANGE, goal=goal, text="Geen schulden meer")
    stale = PlanProposal.objects.get(pk=proposal.pk)
    proposal_discuss(
        proposal=proposal,
        answer="Bespreken we dinsdag",
        user=personas.worker,
        ground=Ground.INVOLVEMENT,
    )
    with pytest.raises(ValidationError):
        proposal_accept(proposal=stale, user=personas.team_leader, ground=Ground.TEAM_LEADER)
    goal.refresh_from_db()
    assert goal.text == "Rust in mijn geldzaken"
    proposal.refresh_from_db()
    assert (proposal.state, proposal.answer, proposal.text) == (
        PlanProposal.State.DISCUSS,
        "Bespreken we dinsdag",
        "Geen schulden meer",
    )


def test_accepting_a_change_goes_through_the_plan_version(personas: Personas) -> None:
    goal = _goal(personas)
    proposal = _propose(personas, Kind.GOAL_CHANGE, goal=goal, text="Geen schulden meer")
    old_version = Plan.objects.get(pk=goal.plan_id).version
    _action(goal, personas)  # someone else changes the plan meanwhile
    with pytest.raises(ValidationError):
        proposal_accept(
            proposal=proposal,
            user=personas.worker,
            ground=Ground.INVOLVEMENT,
            expected_version=old_version,
        )
    proposal.refresh_from_db()
    assert proposal.state == PlanProposal.State.WAITING  # refused whole: still waiting
    proposal_accept(proposal=proposal, user=personas.worker, ground=Ground.INVOLVEMENT)
    goal.refresh_from_db()
    assert goal.text == "Geen schulden meer"
    assert goal.domains == ["finances"]


def test_the_resident_marks_own_strength_done_and_comments(personas: Personas) -> None:
    goal = _goal(personas)
    own = _action(goal, personas)
    provision = _action(goal, personas, step=Step.GENERAL_PROVISION)
    with pytest.raises(ValidationError):
        _propose(personas, Kind.ACTION_DONE, action=provision)
    done = _propose(personas, Kind.ACTION_DONE, action=own)
    own.refresh_from_db()
    assert own.status == Action.Status.TO_DO
    comment = _propose(personas, Kind.ACTION_COMMENT, action=provision, text="Lukt niet alleen")
    proposal_accept(proposal=done, user=personas.worker, ground=Ground.INVOLVEMENT)
    proposal_accept(proposal=comment, user=personas.worker, ground=Ground.INVOLVEMENT)
    own.refresh_from_db()
    provision.refresh_from_db()
    assert own.status == Action.Status.DONE
    assert provision.status == Action.Status.TO_DO  # a comment changes nothing
    assert PlanProposal.objects.get(pk=comment.pk).text == "Lukt niet alleen"


def test_only_the_resident_proposes_and_only_writers_decide(personas: Personas) -> None:
    goal = _goal(personas)
    with pytest.raises(ValidationError):
        proposal_make(
            household=personas.household,
            kind=Kind.NEW_GOAL,
            text="x",
            user=personas.worker,
            ground=Ground.INVOLVEMENT,
        )
    proposal = _propose(personas, Kind.GOAL_CHANGE, goal=goal, text="Anders")
    for ground in (Ground.OWN_DATA, Ground.TEAM, Ground.EMERGENCY):
        with pytest.raises(ValidationError):
            proposal_accept(proposal=proposal, user=personas.resident, ground=ground)
    with pytest.raises(ValidationError):
        _propose(personas, Kind.NEW_GOAL, text="   ")


def test_proposals_are_audited_on_the_household(personas: Personas) -> None:
    goal = _goal(personas)
    proposal = _propose(personas, Kind.GOAL_CHANGE, goal=goal, text="Anders")
    proposal_accept(proposal=proposal, user=personas.worker, ground=Ground.INVOLVEMENT)
    person_id = personas.household.members.get().pk
    changes = [
        (e.action, e.ground, e.details.get("change"))
        for e in AuditEvent.objects.filter(subjects__person_id=person_id).order_by("sequence")
    ]
    assert (AuditAction.CREATE, Ground.OWN_DATA, "proposal goal_change") in changes
    assert (AuditAction.UPDATE, Ground.INVOLVEMENT, "goal edited") in changes
    assert (AuditAction.UPDATE, Ground.INVOLVEMENT, "proposal accepted") in changes


def test_mijn_werk_lists_waiting_proposals_in_fixed_queries(personas: Personas) -> None:
    goal = _goal(personas)
    _propose(personas, Kind.NEW_GOAL, text="Een")
    with CaptureQueriesContext(connection) as few:
        assert len(worklist(personas.worker).proposals_waiting) == 1
    for text in ("Twee", "Drie"):
        _propose(personas, Kind.GOAL_CHANGE, goal=goal, text=text)
    other = factories.MembershipFactory.create().household
    assert other.pk != personas.household.pk
    with CaptureQueriesContext(connection) as more:
        assert len(worklist(personas.worker).proposals_waiting) == 3
    assert len(more.captured_queries) == len(few.captured_queries)
    assert worklist(personas.colleague).proposals_waiting == []


def _post(client: Client, personas: Personas, data: dict[str, object]) -> int:
    url = reverse("casework:plan", args=[personas.household.pk])
    return client.post(url, data).status_code


def test_the_plan_page_takes_proposals_from_the_resident_only(personas: Personas) -> None:
    goal = _goal(personas)
    client = Client()
    client.force_login(personas.resident)
    assert _post(client, personas, {"what": "propose-goal", "text": WORDS}) == 302
    # Refused with what was typed kept: an empty comment.
    url = reverse("casework:plan", args=[personas.household.pk])
    action = _action(goal, personas)
    refused = client.post(url, {"what": "comment", "action": action.pk, "text": " "})
    assert refused.status_code == 400
    # The resident cannot answer their own proposal.
    proposal = PlanProposal.objects.get()
    assert (
        _post(
            client,
            personas,
            {"what": "decide", "proposal": proposal.pk, "decision": "accept", "domains": ["work"]},
        )
        == 404
    )
    for name in (
        "colleague",
        "volunteer",
        "partner_liaison",
        "outside_professional",
        "circle_member",
    ):
        other = Client()
        other.force_login(getattr(personas, name))
        assert _post(other, personas, {"what": "propose-goal", "text": "x"}) == 404, name
        assert other.get(url).status_code == 404, name
    # A worker cannot propose in the resident's name.
    worker = Client()
    worker.force_login(personas.worker)
    assert _post(worker, personas, {"what": "propose-goal", "text": "x"}) == 404
    page = worker.get(url).content.decode()
    assert WORDS.strip() in page
    assert (
        _post(
            worker,
            personas,
            {
                "what": "decide",
                "proposal": proposal.pk,
                "decision": "accept",
                "domains": ["work"],
                "version": Plan.objects.get().version,
            },
        )
        == 302
    )
    assert Goal.objects.filter(text=WORDS.strip(), domains=[LifeDomain.WORK]).exists()
    assert "your worker agreed" not in page
    resident_page = client.get(url).content.decode()
    assert WORDS.strip() in resident_page


def test_a_resident_of_another_household_cannot_propose(personas: Personas) -> None:
    _plan(personas)
    stranger = factories.MembershipFactory.create(
        household__address__neighbourhood=personas.household.address.neighbourhood
    )
    user = factories.UserFactory.create(username="buurman", person=stranger.person)
    role_grant(user=user, role=Role.RESIDENT)
    client = Client()
    client.force_login(user)
    assert _post(client, personas, {"what": "propose-goal", "text": "x"}) == 404
    assert not PlanProposal.objects.exists()
