"""Reads for the household file and its plan, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from buurtkracht.audit.models import Ground
from buurtkracht.casework.models import Action, Contact, Goal, Plan, Step
from buurtkracht.households.models import Household

TIMELINE_LENGTH = 50

# Grounds on which a user may change the plan or record a contact: the workers involved
# and the team leader. Team-wide reading, emergency access and the resident read only.
WRITE_GROUNDS = {Ground.INVOLVEMENT, Ground.TEAM_LEADER}


def can_write(ground: str) -> bool:
    return ground in WRITE_GROUNDS


def timeline(household: Household, ground: str) -> QuerySet[Contact]:
    """The latest contacts; sensitive notes only for workers involved in the household."""
    contacts = household.contacts.select_related("worker").order_by("-happened_at", "-pk")
    if ground != Ground.INVOLVEMENT:
        contacts = contacts.filter(sensitive=False)
    return contacts[:TIMELINE_LENGTH]


@dataclass
class StepColumn:
    step: int
    label: str
    actions: list[Action] = field(default_factory=list)


@dataclass
class PlanOverview:
    plan: Plan | None
    goals: list[Goal]
    steps: list[StepColumn]

    @property
    def open_actions(self) -> int:
        return sum(
            1 for column in self.steps for a in column.actions if a.status == Action.Status.TODO
        )


def plan_overview(household: Household) -> PlanOverview:
    """The plan with its goals and actions, and the actions per step of the four-step
    order, so the page shows whether own strength came first."""
    plan = Plan.objects.filter(household=household).first()
    columns = [StepColumn(step=value, label=str(label)) for value, label in Step.choices]
    if plan is None:
        return PlanOverview(plan=None, goals=[], steps=columns)
    goals = list(
        plan.goals.prefetch_related(
            Prefetch("actions", queryset=Action.objects.order_by("step", "due_date", "pk"))
        )
    )
    for goal in goals:
        for action in goal.actions.all():
            columns[action.step - 1].actions.append(action)
    return PlanOverview(plan=plan, goals=goals, steps=columns)
