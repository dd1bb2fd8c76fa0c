from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from buurtkracht.accounts.models import Role
from buurtkracht.accounts.queries import current_team_memberships
from buurtkracht.accounts.types import AuthenticatedRequest


@require_GET
def my_work(request: AuthenticatedRequest) -> HttpResponse:
    """ "Mijn werk", the start page: for now the user's roles, teams and the neighbourhoods
    those teams serve. Signals, households and actions arrive here with their issues."""
    roles = [Role(role).label for role in Role.values if request.user.has_role(role)]
    return render(
        request,
        "core/my_work.html",
        {"memberships": current_team_memberships(request.user), "roles": roles},
    )


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and the smoke test: the app runs and its database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})
