"""The one way a view reaches a household's file: it checks the ground and notes the look.

It applies the rules of `households.visibility` (it lives next to them, in the app that
owns the file, so that the audit log's own app imports no domain app).

`household_for_request` answers with the household and the ground, or raises Http404 —
and in both cases notes an access event (allowed or refused) that the view's `@audited`
decorator records (`buurtkracht.audit.decorators`); called from a view without it, it
raises. A view that shows resident data without going through here is caught by the
authorisation matrix test (tests/test_authorisation_matrix.py), which fails on any page
that shows a resident's data to a persona without a ground, or without an audit entry.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import note_look, note_refusal
from buurtkracht.audit.models import Action
from buurtkracht.households.models import Household
from buurtkracht.households.visibility import household_ground


def household_for_request(
    request: AuthenticatedRequest,
    pk: int,
    *,
    action: str = Action.READ,
    details: dict[str, Any] | None = None,
) -> tuple[Household, str]:
    household = Household.objects.select_related("address__neighbourhood").filter(pk=pk).first()
    ground = household_ground(request.user, household) if household else None
    subjects = household.current_member_ids() if household else []
    if household is None or ground is None:
        note_refusal(
            request,
            action=action,
            subjects=subjects,
            obj=household,
            details={**(details or {}), "requested_id": pk},
        )
        raise Http404("No household found")
    note_look(
        request, action=action, subjects=subjects, obj=household, ground=ground, details=details
    )
    return household, ground
