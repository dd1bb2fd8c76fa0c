"""Co-writing the plan in the demo (issue 19, item 2): `bewoner` wrote in their own plan
online. Four days ago they marked their own-strength action (calling the housing
corporation) as done, and wijkwerker accepted it the next day; yesterday evening they
proposed a new goal in their own words, which waits on wijkwerker's Mijn werk."""

from __future__ import annotations

from buurtkracht.accounts.models import User
from buurtkracht.audit.models import Ground
from buurtkracht.casework.models import Action, Goal, LifeDomain, PlanProposal, Step
from buurtkracht.casework.services import proposal_accept, proposal_make
from buurtkracht.demo.clock import days_ago
from buurtkracht.households.models import Household, Involvement

RESIDENT_GOAL = "Ik wil weer één keer per week met iemand koffie drinken, niet alleen thuis zitten."


def cowrite_demo_create(*, resident_household: Household | None) -> int:
    """Returns how many proposals the demo resident made (0 without story 1's plan)."""
    resident = User.objects.filter(username="bewoner").first()
    if (
        resident is None
        or resident_household is None
        or resident.person_id not in resident_household.current_member_ids()
    ):
        return 0
    lead = (
        Involvement.objects.filter(
            household=resident_household, kind=Involvement.Kind.LEAD, end_date__isnull=True
        )
        .select_related("worker")
        .first()
    )
    own = (
        Action.objects.filter(
            goal__plan__household=resident_household,
            goal__status=Goal.Status.OPEN,
            step=Step.OWN_STRENGTH,
            status=Action.Status.TO_DO,
        )
        .order_by("pk")
        .first()
    )
    if lead is None or lead.worker is None or own is None:
        return 0
    done = proposal_make(
        household=resident_household,
        kind=PlanProposal.Kind.ACTION_DONE,
        action=own,
        user=resident,
        ground=Ground.OWN_DATA,
    )
    proposal_accept(proposal=done, user=lead.worker, ground=Ground.INVOLVEMENT)
    PlanProposal.objects.filter(pk=done.pk).update(
        at=days_ago(4, 19, 40), decided_at=days_ago(3, 9, 5)
    )
    goal = proposal_make(
        household=resident_household,
        kind=PlanProposal.Kind.NEW_GOAL,
        text=RESIDENT_GOAL,
        domains=[LifeDomain.SOCIAL_NETWORK],
        user=resident,
        ground=Ground.OWN_DATA,
    )
    PlanProposal.objects.filter(pk=goal.pk).update(at=days_ago(1, 20, 30))
    return 2
