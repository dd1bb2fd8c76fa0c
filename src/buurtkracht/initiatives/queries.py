"""Reads on resident initiatives for the start page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q

from buurtkracht.accounts.models import Role
from buurtkracht.initiatives.models import Initiative

if TYPE_CHECKING:
    from buurtkracht.accounts.types import AuthenticatedRequest


def my_work_section(request: AuthenticatedRequest) -> dict[str, Any]:
    """For the community worker: the proposals waiting for them (sent in, to be supported
    and put on their route) and those waiting for a decision. One query. No initiator's
    name or contact here: the list page shows those to the community worker."""
    if not request.user.has_role(Role.COMMUNITY_WORKER):
        return {}
    counts = Initiative.objects.aggregate(
        waiting_support=Count("pk", filter=Q(status=Initiative.Status.SUBMITTED)),
        waiting_decision=Count("pk", filter=Q(status=Initiative.Status.IN_ASSESSMENT)),
    )
    return {
        "shown": True,
        "waiting_support": counts["waiting_support"],
        "waiting_decision": counts["waiting_decision"],
        "support_status": Initiative.Status.SUBMITTED.value,
        "decision_status": Initiative.Status.IN_ASSESSMENT.value,
    }
