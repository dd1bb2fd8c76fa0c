"""The plan's whole life (issue 18, item 1): goals and actions edited, reassigned and
closed in every state, reopened with a reason, walked through at a review, and "goals
reached" derived from the states in the outcome report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import AuditEvent
from buurtkracht.casework.models import Action, Goal, LifeDomain, Plan
from buurtkracht.casework.services import (
    PlanChangedMeanwhile,
    action_edit,
    goal_add,
    goal_close,
    goal_edit,
    goal_reopen,
)
from buurtkracht.households.models import Involvement
from buurtkracht.outcomes.reports import Period, outcome_report
from tests import factories
from tests.casework.stories import story_one_plan
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _day(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")


def _plan_url(personas: Personas) -> str:
    return reverse("casework:plan", args=[personas.household.pk])


def _goal_url(personas: Personas, goal: Goal) -> str:
    return reverse("casework:goal", args=[personas.household.pk, goal.pk])


def _action_url(personas: Personas, action: Action) -> str:
    return reverse("casework:action", args=[personas.household.pk, action.pk])


def _version(plan: Plan) -> str:
    return str(Plan.objects.get(pk=plan.pk).version)


def _changes(personas: Personas) -> list[str]:
    person_id = personas.household.members.get().pk
    events = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, subjects__person_id=person_id
    ).order_by("sequence")
    return [str(e.details.get("change", "")) for e in events]


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (Goal.Status.REACHED, "Bereikt"),
        (Goal.Status.PARTLY, "Deels bereikt"),
        ("stopped", "Gestopt"),
    ],
)
def test_a_goal_closes_in_each_state_with_words_and_a_day(
    client: Client, personas: Personas, status: str, label: str
) -> None:
    personas.make_worker_lead()
    plan = story_one_plan(personas)
    goal = plan.goals.get()
    client.force_login(personas.worker)
    today = timezone.localdate()
    response = client.post(
        _goal_url(personas, goal),
        {
            "what": "close",
            "version": _version(plan),
            "status": status,
            "words": "De achterstand is weg, ik slaap weer.",
            "closed_on": _day(today),
        },
        follow=True,
    )
    page = response.content.decode()
    goal.refresh_from_db()
    assert (goal.status, goal.closed_on) == (status, today)
    assert goal.closing_words == "De achterstand is weg, ik slaap weer."
    assert "De achterstand is weg, ik slaap weer." in page
    assert label in page
    assert f"goal {status}" in _changes(personas)
    # The resident reads the same states and words on their own plan.
    client.force_login(personas.resident)
    page = client.get(_plan_url(personas)).content.decode()
    assert "De achterstand is weg, ik slaap weer." in page
    assert "Doel wijzigen of afsluiten" not in page


def test_closing_a_goal_says_what_is_wrong_and_keeps_the_words(
    client: Client, personas: Personas
) -> None:
    personas.make_worker_lead()
    plan = story_one_plan(personas)
    goal = plan.goals.get()
    client.force_login(personas.worker)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        _goal_url(personas, goal),
        {
            "what": "close",
            "version": _version(plan),
            "status": "",
            "words": "Bijna gelukt",
            "closed_on": _day(tomorrow),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kies bereikt, deels bereikt of gestopt." in page
    assert "ligt in de toekomst" in page
    assert "Bijna gelukt" in page
    goal.refresh_from_db()
    assert goal.status == Goal.Status.OPEN
    # Before the goal was set, or without the resident's words: refused, with the reason.
    with pytest.raises(ValidationError) as excinfo:
        goal_close(
            goal=goal,
            status=Goal.Status.REACHED,
            words=" ",
            closed_on=timezone.localdate() - dt.timedelta(days=3),
            user=personas.worker,
        )
    assert set(excinfo.value.message_dict) == {"words", "closed_on"}
    assert "kan niet eerder afsluiten" in excinfo.value.message_dict["closed_on"][0]


def test_a_closed_goal_reopens_only_with_a_reason_and_the_log_keeps_it(
    client: Client, personas: Personas
) -> None:
    personas.make_worker_lead()
    plan = story_one_plan(personas)
    goal = plan.goals.get()
    goal_close(
        goal=goal,
        status=Goal.Status.STOPPED,
        words="Wil niet meer",
        closed_on=timezone.localdate(),
        user=personas.worker,
    )
    client.force_login(personas.worker)
    url = _goal_url(personas, goal)
    response = client.post(url, {"what": "reopen", "version": _version(plan), "reason": ""})
    assert response.status_code == 400
    assert "Schrijf waarom het doel weer opengaat" in response.content.decode()
    response = client.post(
        url, {"what": "reopen", "version": _version(plan), "reason": "Verkeerd doel afgesloten"}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.status, goal.closed_on, goal.closing_words) == (Goal.Status.OPEN, None, "")
    event = AuditEvent.objects.filter(details__change="goal reopened").get()
    assert event.details["reason"] == "Verkeerd doel afgesloten"
    assert event.details["previous"] == Goal.Status.STOPPED
    assert event.details["previous_words"] == "Wil niet meer"
    with pytest.raises(ValidationError):
        goal_reopen(goal=goal, reason="nog eens", user=personas.worker)


def test_editing_a_goal_on_an_old_copy_is_refused_and_keeps_the_text(
    client: Client, personas: Personas
) -> None:
    personas.make_worker_lead()
    plan = story_one_plan(personas)
    goal = plan.goals.get()
    opened = _version(plan)
    # A colleague changes the goal first.
    goal_edit(
        goal=goal,
        text="Ik wil van mijn huurachterstand af voor de herfst.",
        domains=[LifeDomain.FINANCES],
        user=personas.team_leader,
        expected_version=int(opened),
    )
    client.force_login(personas.worker)
    response = client.post(
        _goal_url(personas, goal),
        {
            "what": "edit",
            "version": opened,
            "text": "Mijn tekst die niet verloren mag gaan",
            "domains": ["housing"],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Iemand anders heeft dit plan gewijzigd" in page
    assert "Mijn tekst die niet verloren mag gaan" in page
    goal.refresh_from_db()
    assert goal.text == "Ik wil van mijn huurachterstand af voor de herfst."
    # Closing on the old copy is refused the same way.
    with pytest.raises(PlanChangedMeanwhile):
        goal_close(
            goal=goal,
            status=Goal.Status.REACHED,
            words="Gelukt",
            closed_on=timezone.localdate(),
            user=personas.worker,
            expected_version=int(opened),
        )
    # With the page as it is now, the change goes through and is logged.
    response = client.post(
        _goal_url(personas, goal),
        {"what": "edit", "version": _version(plan), "text": "Rust in huis", "domains": ["family"]},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.text, goal.domains) == ("Rust in huis", ["family"])
    assert _changes(personas).count("goal edited") == 2


@pytest.mark.parametrize(
    ("status", "shown"),
    [("done", "gedaan"), ("not_done", "niet gedaan"), ("cancelled", "niet meer nodig")],
)
def test_an_action_ends_done_not_done_or_no_longer_needed(
    client: Client, personas: Personas, status: str, shown: str
) -> None:
    personas.make_worker_lead()
    plan = story_one_plan(personas)
    action = Action.objects.get(goal__plan=plan, step=1)
    client.force_login(personas.worker)
    response = client.post(
        _action_url(personas, action),
        {"what": "status", "version": _version(plan), "status": status},
        follow=True,
    )
    action.refresh_from_db()
    assert action.status == status
    page = response.content.decode()
    assert f"({shown})" in page
    assert f"action {status}" in _changes(personas)
    # An old page's status button is refused: the other change is not undone.
    stale = client.post(
        reverse("casework:action-status", args=[personas.household.pk, action.pk]),
        {"status": "todo", "version": "1"},
        follow=True,
    )
    assert "Iemand anders heeft dit plan gewijzigd" in stale.content.decode()
    action.refresh_from_db()
    assert action.status == status


def test_an_action_is_edited_and_reassigned_to_a_worker_or_back_to_the_resident(
    client: Client, personas: Personas
) -> None:
    personas.make_worker_lead()
    plan = story_one_plan(personas)
    action = Action.objects.get(goal__plan=plan, step=4)
    client.force_login(personas.worker)
    url = _action_url(personas, action)
    page = client.get(url).content.decode()
    assert personas.worker.get_full_name() in page  # offered as who does it
    data = {
        "what": "edit",
        "description": "Samen naar de schuldhulp",
        "owner": action.owner,
        "owner_worker": str(personas.worker.pk),
        "step": "4",
        "due_date": _day(timezone.localdate() + dt.timedelta(days=14)),
    }
    response = client.post(url, {**data, "version": _version(plan)})
    assert response.status_code == 302
    action.refresh_from_db()
    # The written name was the old one: the worker chosen takes its place.
    assert action.owner_worker == personas.worker
    assert action.owner == personas.worker.get_full_name()
    assert action.description == "Samen naar de schuldhulp"
    assert "action reassigned" in _changes(personas)
    # A worker not involved in the household cannot be given the action.
    response = client.post(
        url, {**data, "owner_worker": str(personas.colleague.pk), "version": _version(plan)}
    )
    assert response.status_code == 400
    assert "geldige keuze" in response.content.decode()
    with pytest.raises(ValidationError) as excinfo:
        action_edit(
            action=action,
            description="Samen naar de schuldhulp",
            owner="",
            step=4,
            owner_worker=personas.colleague,
            user=personas.worker,
        )
    assert "die nu bij dit huishouden betrokken is" in excinfo.value.message_dict["owner_worker"][0]
    # Back to the resident herself: written, nobody chosen.
    response = client.post(
        url,
        {
            **data,
            "owner": "Mevrouw zelf",
            "owner_worker": "",
            "step": "1",
            "version": _version(plan),
        },
    )
    assert response.status_code == 302
    again = Action.objects.get(pk=action.pk)
    assert (again.owner, again.owner_worker_id, again.step) == ("Mevrouw zelf", None, 1)


def test_only_those_who_may_change_the_file_open_the_goal_and_action_pages(
    client: Client, personas: Personas
) -> None:
    personas.make_worker_lead()
    plan = story_one_plan(personas)
    goal = plan.goals.get()
    action = goal.actions.first()
    assert action is not None
    for user in (personas.resident, personas.colleague, personas.volunteer):
        client.force_login(user)
        assert client.get(_goal_url(personas, goal)).status_code == 404
        assert client.get(_action_url(personas, action)).status_code == 404
    client.force_login(personas.team_leader)
    assert client.get(_goal_url(personas, goal)).status_code == 200


def test_the_review_walks_through_each_goal(client: Client, personas: Personas) -> None:
    personas.make_worker_lead()
    plan = story_one_plan(personas)
    first = plan.goals.get()
    second = goal_add(
        plan=plan, text="Weer werk vinden", domains=[LifeDomain.WORK], user=personas.worker
    )
    client.force_login(personas.worker)
    page = client.get(_plan_url(personas)).content.decode()
    assert "hoe gaat het?" in page
    today = timezone.localdate()
    review = {
        "what": "review",
        "version": _version(plan),
        "held_on": _day(today),
        "what_changed": "Betalingsregeling loopt.",
        f"goal{first.pk}_state": "reached",
        f"goal{first.pk}_words": "",
        f"goal{second.pk}_state": "open",
        f"goal{second.pk}_words": "Ik solliciteer elke week.",
    }
    response = client.post(_plan_url(personas), review)
    assert response.status_code == 400  # a goal that closes needs the resident's words
    assert "Schrijf in de eigen woorden van de bewoner" in response.content.decode()
    first.refresh_from_db()
    assert first.status == Goal.Status.OPEN
    review[f"goal{first.pk}_words"] = "Geen achterstand meer!"
    response = client.post(_plan_url(personas), review, follow=True)
    page = response.content.decode()
    assert "Evaluatie vastgelegd." in page
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.closed_on, first.closing_words) == (
        Goal.Status.REACHED,
        today,
        "Geen achterstand meer!",
    )
    assert second.status == Goal.Status.OPEN
    saved = plan.reviews.get()
    assert [(g["goal"], g["state"]) for g in saved.goals] == [
        (str(first.pk), "reached"),
        (str(second.pk), "open"),
    ]
    assert "Ik solliciteer elke week." in page
    assert "1 van 2 doelen bereikt." in page


def test_story_one_completes_and_the_report_shows_the_goals_reached(
    client: Client, personas: Personas
) -> None:
    """Story 1 to the end: every goal reached or stopped, the file closed, and the report
    counts the household (with four neighbours, so the figure passes disclosure control)."""
    personas.make_worker_lead()
    plan = story_one_plan(personas)
    today = timezone.localdate()
    stopped = goal_add(
        plan=plan, text="Een andere woning", domains=[LifeDomain.HOUSING], user=personas.worker
    )
    client.force_login(personas.worker)
    for goal, status, words in [
        (plan.goals.get(text__startswith="Ik wil"), "reached", "Alles afbetaald."),
        (stopped, "stopped", "Ik blijf toch wonen waar ik woon."),
    ]:
        response = client.post(
            _goal_url(personas, goal),
            {
                "what": "close",
                "version": _version(plan),
                "status": status,
                "words": words,
                "closed_on": _day(today),
            },
        )
        assert response.status_code == 302
    for action in Action.objects.filter(goal__plan=plan):
        client.post(
            reverse("casework:action-status", args=[personas.household.pk, action.pk]),
            {"status": "done", "version": _version(plan)},
        )
    assert not Action.objects.filter(goal__plan=plan, status="todo").exists()
    response = client.post(
        _plan_url(personas),
        {"what": "close", "reason": "goals_reached", "reached": "Huurachterstand afgelost."},
        follow=True,
    )
    assert "Dossier gesloten" in response.content.decode()
    household_page = client.get(reverse("workspace:household", args=[personas.household.pk]))
    assert household_page.context["overview"].goals_reached == 1

    area = personas.household.address.neighbourhood
    assert area is not None
    for _ in range(4):
        household = factories.MembershipFactory.create(
            household__address__neighbourhood=area
        ).household
        other = goal_add(
            plan=Plan.objects.create(household=household, created_by=personas.worker),
            text="Rust",
            domains=[LifeDomain.FAMILY],
            user=personas.worker,
        )
        goal_close(
            goal=other, status="reached", words="Rust.", closed_on=today, user=personas.worker
        )
    # Partly reached and stopped goals do not count as reached.
    partly = factories.MembershipFactory.create(household__address__neighbourhood=area).household
    goal_close(
        goal=goal_add(
            plan=Plan.objects.create(household=partly, created_by=personas.worker),
            text="Half",
            domains=[LifeDomain.FAMILY],
            user=personas.worker,
        ),
        status="partly",
        words="Half gelukt.",
        closed_on=today,
        user=personas.worker,
    )
    report = outcome_report(period=Period(today - dt.timedelta(days=30), today))
    plans = next(t for t in report.tables if t.id == "plans")
    row = next(r for r in plans.rows if r.label == area.name)
    assert row.figures[2].text == "5"  # households with a goal reached
    # A period before the goals were reached shows none.
    earlier = outcome_report(
        period=Period(today - dt.timedelta(days=400), today - dt.timedelta(days=300))
    )
    plans = next(t for t in earlier.tables if t.id == "plans")
    assert plans.total is not None and plans.total.figures[2].text == "0"


def test_the_closed_file_refuses_goal_changes(personas: Personas) -> None:
    personas.make_worker_lead()
    plan = story_one_plan(personas)
    Plan.objects.filter(pk=plan.pk).update(closed_on=timezone.localdate())
    goal = Goal.objects.select_related("plan").get(plan=plan)
    with pytest.raises(ValidationError) as excinfo:
        goal_edit(goal=goal, text="Nieuw", domains=["family"], user=personas.worker)
    assert "Heropen eerst het dossier" in excinfo.value.messages[0]
    assert Involvement.objects.filter(household=personas.household).exists()
