"""What `casework` holds about one resident, for their copy of their data (AVG art. 15,
`privacy/export.py`), by the rules of the resident's own file: the plan with its goals
and actions, the contacts without sensitive notes, the kitchen-table conversations and
the appointments without the workers' note, what the resident wrote in their plan and
the messages on the file. Intakes stay with the team (what a reporter
said), as on the file; the export module says so in its list of what is not exported."""

from __future__ import annotations

from django.utils.translation import gettext as _

from buurtkracht.accounts.models import User
from buurtkracht.casework.message_models import Message
from buurtkracht.casework.models import (
    Action,
    Appointment,
    Contact,
    Conversation,
    Goal,
    Plan,
    PlanProposal,
)
from buurtkracht.core.person_data import Section, model_record
from buurtkracht.households.models import Household, Person


def _worker(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def person_sections(person: Person, households: list[Household]) -> list[Section]:
    ids = [h.pk for h in households]
    plans = list(Plan.objects.filter(household_id__in=ids).order_by("pk"))
    goals = list(Goal.objects.filter(plan__in=plans).order_by("plan_id", "created_at", "pk"))
    actions = list(
        Action.objects.filter(goal__in=goals)
        .select_related("owner_tie", "owner_worker")
        .order_by("goal_id", "step", "pk")
    )
    goal_text = {g.pk: g.text for g in goals}
    return [
        Section(
            "plan",
            _("Your plan"),
            [
                model_record(
                    p,
                    [
                        "created_at",
                        "agreed_on",
                        "agreed_how",
                        "review_date",
                        "closed_on",
                        "closure_reason",
                        "reached",
                        "aftercare_on",
                        "aftercare_done_on",
                        "aftercare_note",
                    ],
                )
                for p in plans
            ],
        ),
        Section(
            "goals",
            _("Goals"),
            [
                model_record(
                    g, ["text", "domains", "status", "closed_on", "closing_words", "created_at"]
                )
                for g in goals
            ],
        ),
        Section(
            "actions",
            _("Actions"),
            [
                model_record(
                    a,
                    ["description", "owner", "step", "due_date", "status"],
                    goal=(_("goal"), goal_text.get(a.goal_id, "")),
                    who=(
                        _("who does it"),
                        a.owner_tie.name if a.owner_tie else _worker(a.owner_worker),
                    ),
                )
                for a in actions
            ],
        ),
        Section(
            "contacts",
            _("Contacts with your worker"),
            [
                model_record(
                    c,
                    ["happened_at", "kind", "with_whom", "note"],
                    worker=(_("worker"), _worker(c.worker)),
                )
                for c in Contact.objects.filter(household_id__in=ids, sensitive=False)
                .select_related("worker")
                .order_by("happened_at", "pk")
            ],
            note=_(
                "Notes a worker marked as sensitive are not in this copy, as on your own "
                "file. Ask the privacy officer if you want to know about them."
            ),
        ),
        Section(
            "conversations",
            _("Kitchen-table conversations"),
            [
                model_record(
                    c,
                    [
                        "held_on",
                        "with_whom",
                        "what_matters",
                        "wants",
                        "tried",
                        "helpers",
                        "domains",
                        "decided",
                    ],
                    by=(_("worker"), _worker(c.by)),
                )
                for c in Conversation.objects.filter(household_id__in=ids)
                .select_related("by")
                .order_by("held_on", "pk")
            ],
        ),
        Section(
            "appointments",
            _("Appointments"),
            [
                model_record(
                    a,
                    [
                        "kind",
                        "starts_at",
                        "ends_at",
                        "place",
                        "place_text",
                        "with_others",
                        "cancelled_at",
                        "cancel_reason",
                    ],
                )
                for a in Appointment.objects.filter(household_id__in=ids).order_by(
                    "starts_at", "pk"
                )
            ],
            note=_("The workers' own note on an appointment is not included, as on your file."),
        ),
        Section(
            "plan_proposals",
            _("What you wrote in your plan"),
            [
                model_record(
                    p,
                    ["kind", "text", "at", "state", "answer", "decided_at"],
                    by=(_("by"), _worker(p.by)),
                )
                for p in PlanProposal.objects.filter(household_id__in=ids)
                .select_related("by")
                .order_by("at", "pk")
            ],
        ),
        Section(
            "messages",
            _("Messages"),
            [
                model_record(m, ["sent_at", "text"], author=(_("from"), _worker(m.author)))
                for m in Message.objects.filter(household_id__in=ids)
                .select_related("author")
                .order_by("sent_at", "pk")
            ],
        ),
    ]
