"""Writes on resident initiatives and budgets (issue 8).

Residents propose, change, withdraw and report back through their secret link, without
an account; community workers record support, link a budget, record the decisions of
the route (on behalf of a jury or a neighbourhood platform), the funders and the payment.
Staff writes are audit events; initiators are not registered residents, so the events
name no residents.

Where things are: `proposals` (the secret link; propose, change, withdraw), `route`
(support, budget, decisions, the next step) and `money` (funders, payment, report back,
budget overviews).
"""

from buurtkracht.initiatives.services.money import (
    BudgetLine,
    FundingShare,
    budget_overview,
    funding_set,
    initiative_mark_paid,
    report_create,
)
from buurtkracht.initiatives.services.proposals import (
    CENT,
    HUNDRED,
    MAX_COST,
    REQUIRED,
    InitiativeInput,
    budget_for,
    initiative_by_token,
    initiative_errors,
    initiative_input_of,
    initiative_propose,
    initiative_update,
    initiative_withdraw,
    parse_euros,
    token_hash,
)
from buurtkracht.initiatives.services.route import (
    NextStep,
    budget_assign,
    current_step,
    decision_record,
    may_decide,
    next_step,
    support_record,
)

__all__ = [
    "CENT",
    "HUNDRED",
    "MAX_COST",
    "REQUIRED",
    "BudgetLine",
    "FundingShare",
    "InitiativeInput",
    "NextStep",
    "budget_assign",
    "budget_for",
    "budget_overview",
    "current_step",
    "decision_record",
    "funding_set",
    "initiative_by_token",
    "initiative_errors",
    "initiative_input_of",
    "initiative_mark_paid",
    "initiative_propose",
    "initiative_update",
    "initiative_withdraw",
    "may_decide",
    "next_step",
    "parse_euros",
    "report_create",
    "support_record",
    "token_hash",
]
