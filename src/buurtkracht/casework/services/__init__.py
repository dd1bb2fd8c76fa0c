"""Writes on plans and contacts. Every write is an audit event on the household's residents.

Where things are: `plans` (the plan, goals, actions, agreeing; the plan's version),
`goals` (editing, reassigning, closing and reopening goals and actions),
`contacts` (contacts and conversations), `messages` (the resident's conversation with
the workers), `reviews` (review, closure, aftercare), `proposals` (what the resident
writes in their own plan) and `appointments` (appointments and the workers' calendar
feeds).
"""

from buurtkracht.casework.services.appointments import (
    appointment_cancel,
    appointment_change,
    appointment_plan,
    calendar_feed_renew,
    calendar_feed_set_names,
    calendar_feed_stop,
)
from buurtkracht.casework.services.contacts import contact_record, conversation_record
from buurtkracht.casework.services.goals import (
    GoalAtReview,
    action_edit,
    goal_close,
    goal_edit,
    goal_reopen,
)
from buurtkracht.casework.services.messages import message_send, messages_mark_read
from buurtkracht.casework.services.plans import (
    DEFAULT_REVIEW_MONTHS,
    PlanChangedMeanwhile,
    action_add,
    action_set_status,
    goal_add,
    plan_agree,
    plan_get_or_create,
)
from buurtkracht.casework.services.proposals import (
    proposal_accept,
    proposal_discuss,
    proposal_make,
)
from buurtkracht.casework.services.reviews import (
    DEFAULT_AFTERCARE_MONTHS,
    aftercare_done,
    plan_close,
    plan_reopen,
    plan_review,
)

__all__ = [
    "DEFAULT_AFTERCARE_MONTHS",
    "DEFAULT_REVIEW_MONTHS",
    "GoalAtReview",
    "PlanChangedMeanwhile",
    "action_add",
    "action_edit",
    "action_set_status",
    "aftercare_done",
    "appointment_cancel",
    "appointment_change",
    "appointment_plan",
    "calendar_feed_renew",
    "calendar_feed_set_names",
    "calendar_feed_stop",
    "contact_record",
    "conversation_record",
    "goal_add",
    "goal_close",
    "goal_edit",
    "goal_reopen",
    "message_send",
    "messages_mark_read",
    "plan_agree",
    "plan_close",
    "plan_get_or_create",
    "plan_reopen",
    "plan_review",
    "proposal_accept",
    "proposal_discuss",
    "proposal_make",
]
