"""The top floor's pages: "Mijn werk", every user's start page, which composes what each
domain app says waits for this user (docs/decisions/0006-floors.md)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from buurtkracht.accounts.approvals import APPROVER_ROLES
from buurtkracht.accounts.models import Role, TeamMembership, User
from buurtkracht.accounts.queries import current_team_memberships, pending_access_requests
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited, note_look
from buurtkracht.audit.models import Ground
from buurtkracht.casework.intake import intakes_for
from buurtkracht.casework.message_queries import my_work_section as messages_my_work
from buurtkracht.casework.message_queries import unread_counts
from buurtkracht.casework.queries import household_appointments, plan_overview, worklist
from buurtkracht.casework.queries import my_work_section as appointments_my_work
from buurtkracht.circles.queries import my_work_section as circles_my_work
from buurtkracht.conferences.queries import my_work_section as conferences_my_work
from buurtkracht.dilemmas.queries import my_work_section as dilemmas_my_work
from buurtkracht.households.queries import my_involvements
from buurtkracht.households.queries import my_work_section as households_my_work
from buurtkracht.initiatives.queries import my_work_section as initiatives_my_work
from buurtkracht.referrals.queries import referral_worklist
from buurtkracht.signals.queries import my_work_section as signals_my_work
from buurtkracht.socialmap.queries import my_work_section as socialmap_my_work
from buurtkracht.volunteering.queries import my_work_section as volunteering_my_work

# How many coming appointments a resident's start page lists.
RESIDENT_APPOINTMENTS = 3

# Roles whose work is a neighbourhood team's: without a team their start page says so.
TEAM_ROLES = frozenset({Role.WORKER, Role.TEAM_LEADER})


def is_resident_only(user: User) -> bool:
    """A resident without any staff role: their start page speaks to them, not to staff."""
    return user.role_set == {Role.RESIDENT}


def is_circle_member_only(user: User) -> bool:
    """A member of learning circles from outside the teams: sees their circles only."""
    return user.role_set == {Role.CIRCLE_MEMBER}


@require_GET
@audited
def my_work(request: AuthenticatedRequest) -> HttpResponse:
    """ "Mijn werk", the start page: per role the work that waits and the way to it. It
    only composes; each domain app's `queries.my_work_section` decides what it shows, in a
    fixed number of queries. A resident gets a page of their own: their household file
    and the neighbourhood's initiatives and budget."""
    user = request.user
    if is_circle_member_only(user):
        return render(
            request, "workspace/my_work_circle_member.html", {"circles": circles_my_work(request)}
        )
    households = households_my_work(request)
    if is_resident_only(user):
        # Per own household: the plan's goals and the coming appointments, on the start
        # page itself (issue 19); the look is the one households_my_work logged.
        own_households = households.get("own_households", [])
        unread = unread_counts(user, [own.household.pk for own in own_households])
        portal = [
            (
                own,
                plan_overview(own.household).goals,
                household_appointments(own.household).upcoming[:RESIDENT_APPOINTMENTS],
                unread.get(own.household.pk, 0),
            )
            for own in own_households
        ]
        return render(
            request,
            "workspace/my_work_resident.html",
            {"households": households, "portal": portal},
        )
    role_set = user.role_set
    roles = [Role(role).label for role in Role.values if role in role_set]
    involvements = list(my_involvements(user)) if role_set & TEAM_ROLES else []
    if involvements:
        # The list shows residents' names and addresses: a look like any other.
        note_look(
            request,
            subjects=[m.person_id for i in involvements for m in i.household.memberships.all()],
            ground=Ground.INVOLVEMENT,
            details={"page": "my work", "households": len(involvements)},
        )
    in_team = bool(role_set & TEAM_ROLES)
    memberships = list(current_team_memberships(user)) if in_team else []
    return render(
        request,
        "workspace/my_work.html",
        {
            "memberships": memberships,
            # The team leader's way to the team view (workspace.team).
            "leads_team": any(
                m.position == TeamMembership.Position.TEAM_LEADER for m in memberships
            ),
            "roles": roles,
            "role_set": role_set,
            "needs_team": in_team,
            "involvements": involvements,
            "households": households,
            "work": worklist(user) if in_team else None,
            "referral_work": referral_worklist(user) if in_team else None,
            "new_intakes": intakes_for(user).count() if in_team else 0,
            "volunteering": volunteering_my_work(request),
            "signals": signals_my_work(request),
            "initiatives": initiatives_my_work(request),
            "circles": circles_my_work(request),
            "socialmap": socialmap_my_work(request),
            "appointments": appointments_my_work(request),
            "messages_waiting": messages_my_work(request),
            "conferences": conferences_my_work(request),
            "dilemmas": dilemmas_my_work(request),
            # Role raises and two-step resets wait for a second person (four eyes).
            "access_requests_waiting": (
                pending_access_requests().count() if role_set & set(APPROVER_ROLES) else 0
            ),
        },
    )
