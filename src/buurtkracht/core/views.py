from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from buurtkracht.accounts.models import Role, User
from buurtkracht.accounts.queries import current_team_memberships
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.models import Action, Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.casework.intake import intakes_for
from buurtkracht.casework.queries import worklist
from buurtkracht.households.queries import my_involvements
from buurtkracht.households.queries import my_work_section as households_my_work
from buurtkracht.initiatives.queries import my_work_section as initiatives_my_work
from buurtkracht.referrals.queries import referral_worklist
from buurtkracht.signals.queries import my_work_section as signals_my_work
from buurtkracht.socialmap.queries import my_work_section as socialmap_my_work
from buurtkracht.volunteering.queries import my_work_section as volunteering_my_work

# Roles whose work is a neighbourhood team's: without a team their start page says so.
TEAM_ROLES = frozenset({Role.WORKER, Role.TEAM_LEADER})


def is_resident_only(user: User) -> bool:
    """A resident without any staff role: their start page speaks to them, not to staff."""
    return user.role_set == {Role.RESIDENT}


@require_GET
def my_work(request: AuthenticatedRequest) -> HttpResponse:
    """ "Mijn werk", the start page: per role the work that waits and the way to it. It
    only composes; each domain app's `queries.my_work_section` decides what it shows, in a
    fixed number of queries. A resident gets a page of their own: their household file
    and the neighbourhood's initiatives and budget."""
    user = request.user
    households = households_my_work(request)
    if is_resident_only(user):
        return render(request, "core/my_work_resident.html", {"households": households})
    role_set = user.role_set
    roles = [Role(role).label for role in Role.values if role in role_set]
    involvements = list(my_involvements(user)) if role_set & TEAM_ROLES else []
    if involvements:
        # The list shows residents' names and addresses: a look like any other.
        audit_record(
            action=Action.READ,
            user=user,
            request=request,
            subjects=[m.person_id for i in involvements for m in i.household.memberships.all()],
            ground=Ground.INVOLVEMENT,
            details={"page": "my work", "households": len(involvements)},
        )
    in_team = bool(role_set & TEAM_ROLES)
    return render(
        request,
        "core/my_work.html",
        {
            "memberships": current_team_memberships(user),
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
            "socialmap": socialmap_my_work(request),
        },
    )


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico whatever the page says; send them to the icon that
    base.html names. Looked up per request, so production's hashed file name is used."""
    response = HttpResponseRedirect(static("buurtkracht/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and the smoke test: the app runs and its database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})
