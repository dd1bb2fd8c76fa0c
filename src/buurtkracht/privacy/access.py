"""The four-eyes page: requests by a functional administrator to give a role that reaches
residents' files, or to reset someone's two-step login, wait here for the privacy officer
or another administrator. It also lists the activation links. Accounts and roles, no
resident data: nothing here is a look at a resident."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from buurtkracht.accounts.approvals import (
    NotAllowed,
    access_request_approve,
    access_request_refuse,
    may_decide,
)
from buurtkracht.accounts.decorators import role_required
from buurtkracht.accounts.models import Role
from buurtkracht.accounts.queries import (
    decided_access_requests,
    pending_access_requests,
    recent_activations,
)
from buurtkracht.accounts.types import AuthenticatedRequest

APPROVERS = (Role.PRIVACY_OFFICER, Role.FUNCTIONAL_ADMIN)


@require_GET
@role_required(*APPROVERS)
def access_requests(request: AuthenticatedRequest) -> HttpResponse:
    pending = [(access, may_decide(access, request.user)) for access in pending_access_requests()]
    return render(
        request,
        "privacy/access_requests.html",
        {
            "pending": pending,
            "decided": decided_access_requests(),
            "activations": recent_activations(),
        },
    )


@require_POST
@role_required(*APPROVERS)
def access_request_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    approve = request.POST.get("decision") == "approve"
    try:
        if approve:
            access = access_request_approve(
                access_id=pk,
                by=request.user,
                request=request,
                base_url=request.build_absolute_uri("/"),
            )
        else:
            access = access_request_refuse(access_id=pk, by=request.user, request=request)
    except NotAllowed:
        messages.error(
            request,
            _(
                "You cannot decide this request: it is your own, it is about you, or it was "
                "decided already. Another privacy officer or administrator can."
            ),
        )
        return redirect("audit:access-requests")
    messages.success(
        request,
        (_("Approved: %(what)s.") if approve else _("Refused: %(what)s.")) % {"what": access},
    )
    return redirect("audit:access-requests")
