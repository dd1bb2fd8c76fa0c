"""The partner's API of decisions under its mandates (issue 20, docs/mandates.md).

JSON, authenticated with the organisation's partner API token exactly as the signals API
(`signals.api.token_required`, tokens made in Beheer); the decisions are the mandates
app's (`mandates.queries.partner_decisions`). It lives on the top floor because it joins
the two domain apps, which do not import each other (decision 0006).

A token answers only for its own organisation's mandates, with the resident's name and
date of birth and nothing else of the file; every fetch is logged naming the residents.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from buurtkracht.audit.decorators import audited, note_look
from buurtkracht.audit.models import Action, Ground
from buurtkracht.mandates.models import MandateDecision
from buurtkracht.mandates.queries import partner_decisions
from buurtkracht.mandates.views import LEGAL_GROUND
from buurtkracht.signals.api import token_required
from buurtkracht.signals.models import ApiToken

# A fetch returns at most this many decisions, newest first; `sinds` narrows it.
MAX_DECISIONS = 1000


def decision_json(decision: MandateDecision) -> dict[str, Any]:
    person = decision.person
    return {
        "id": decision.pk,
        "besloten_op": decision.decided_on.isoformat(),
        "mandaat": {"id": decision.mandate_id, "besluit": decision.mandate.decision},
        "besluit": decision.what,
        "bedrag": None if decision.amount is None else f"{decision.amount:.2f}",
        "reden": decision.reason,
        "team": decision.team.name if decision.team else None,
        "bewoner": {
            "naam": person.full_name,
            "geboortedatum": person.date_of_birth.isoformat() if person.date_of_birth else None,
        },
    }


@token_required("GET")
@audited
def mandate_decisions(request: HttpRequest, token: ApiToken) -> HttpResponse:
    """GET the decisions under the token's organisation's mandates (`?sinds=YYYY-MM-DD`:
    decided on or after that day)."""
    organisation = token.organisation
    decisions = partner_decisions(organisation.pk)
    since: dt.date | None = None
    if value := request.GET.get("sinds", "").strip():
        try:
            since = dt.date.fromisoformat(value)
        except ValueError:
            return JsonResponse(
                {
                    "error": _(
                        "“%(value)s” is not a date. Write sinds as YYYY-MM-DD, such as 2026-01-31."
                    )
                    % {"value": value[:40]}
                },
                status=400,
                json_dumps_params={"ensure_ascii": False},
            )
        decisions = decisions.filter(decided_on__gte=since)
    rows = list(decisions[:MAX_DECISIONS])
    note_look(
        request,
        action=Action.EXPORT,
        subjects=sorted({d.person_id for d in rows}),
        obj=organisation,
        ground=Ground.ROLE,
        on_behalf_of=str(organisation),
        client=f"api-token:{token.prefix}",
        details={
            "api": "mandate decisions",
            "rows": len(rows),
            "since": since.isoformat() if since else "",
            "legal_ground": LEGAL_GROUND,
        },
    )
    return JsonResponse(
        {"besluiten": [decision_json(d) for d in rows]},
        json_dumps_params={"ensure_ascii": False},
    )
