"""Everything the product holds about one resident (AVG art. 15, docs/data-rights.md): a
copy as JSON (for a computer) and as a readable PDF, made by a background job
(`privacy/export_job.py`) in one step per domain.

It reads every domain, so it lives on the top floor; each domain app offers
`person_data.person_sections(person, households)`, which knows what of its data belongs
to the resident and what a resident may read (the rules of their own file). This module
only puts the parts together.

`EXPORTED` names, for every model that refers to a resident (to `Person`, or to their
`Household` or `Membership`), the section of the copy that holds it; `NOT_EXPORTED` names
the rest with the reason. `tests/privacy/test_export_coverage.py` walks the models and
fails when a new one is in neither.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtkracht.casework import person_data as casework_data
from buurtkracht.conferences import person_data as conferences_data
from buurtkracht.core.person_data import Field, Section
from buurtkracht.documents import person_data as documents_data
from buurtkracht.households import person_data as households_data
from buurtkracht.households.models import Household, Person
from buurtkracht.mandates import person_data as mandates_data
from buurtkracht.network import person_data as network_data
from buurtkracht.outcomes import person_data as outcomes_data
from buurtkracht.privacy.queries import who_looked
from buurtkracht.referrals import person_data as referrals_data
from buurtkracht.signals import person_data as signals_data
from buurtkracht.volunteering import person_data as volunteering_data

PartFunction = Callable[[Person, list[Household]], list[Section]]

# How many days of the access log the copy shows (the audit log keeps longer).
ACCESS_LOG_DAYS = 5 * 365


def access_log_sections(person: Person, households: list[Household]) -> list[Section]:
    """Who looked at or changed the resident's data: what "who looked at my file" shows."""
    records = [
        [
            Field("time", _("when"), timezone.localtime(look.time).isoformat(timespec="minutes")),
            Field("who", _("who"), look.who),
            Field("role", _("role"), look.role),
            Field("organisation", _("organisation"), look.organisation),
            Field("action", _("what"), look.action),
            Field("allowed", _("allowed"), look.allowed),
        ]
        for looks in who_looked(person.pk, days=ACCESS_LOG_DAYS).values()
        for look in looks
    ]
    return [
        Section(
            "access_log",
            _("Who looked at your data"),
            records,
            note=_("The latest 1,000 looks and changes of the past five years."),
        )
    ]


# The steps of the job, in order: (key, the domain's query). A finished step is kept on
# the request (`DataRequest.parts`), so a stopped job resumes after it.
PARTS: list[tuple[str, PartFunction]] = [
    ("households", households_data.person_sections),
    ("casework", casework_data.person_sections),
    ("network", network_data.person_sections),
    ("outcomes", outcomes_data.person_sections),
    ("signals", signals_data.person_sections),
    ("referrals", referrals_data.person_sections),
    ("volunteering", volunteering_data.person_sections),
    ("documents", documents_data.person_sections),
    ("mandates", mandates_data.person_sections),
    ("conferences", conferences_data.person_sections),
    ("audit", access_log_sections),
]

# Every model that refers to a resident, and the section of the copy that holds it.
EXPORTED: dict[str, str] = {
    "households.Person": "person",
    "accounts.User": "account",
    "households.Household": "households",
    "households.Membership": "households",
    "households.Involvement": "involvements",
    "households.OutsideProfessional": "professionals",
    "households.Consent": "consents",
    "households.RegisterEntry": "register",
    "households.EmergencyAccess": "emergency_access",
    "households.DataRequest": "data_requests",
    "casework.Plan": "plan",
    "casework.Contact": "contacts",
    "casework.Conversation": "conversations",
    "casework.Appointment": "appointments",
    "casework.PlanProposal": "plan_proposals",
    "casework.Message": "messages",
    "signals.Signal": "signals",
    "signals.Report": "signal_reports",
    "outcomes.Assessment": "assessments",
    "outcomes.Story": "stories",
    "network.Tie": "network",
    "network.NetworkVersion": "network_versions",
    "referrals.Referral": "referrals",
    "volunteering.VolunteerRequest": "volunteer_requests",
    "documents.Document": "documents",
    "mandates.MandateDecision": "mandate_decisions",
    "conferences.Case": "conference_cases",
}

# Models that refer to a resident but are not in the copy, and why.
NOT_EXPORTED: dict[str, Any] = {
    "casework.Intake": gettext_lazy(
        "What a reporter (a neighbour, the GP, the school) said when asking for help stays "
        "with the team, as on the resident's own file; what came of it is in the plan. The "
        "privacy officer weighs a request for it case by case (AVG art. 15(4))."
    ),
    "casework.MessageRead": gettext_lazy(
        "Only up to when each reader read the conversation on the file; the messages "
        "themselves are in the copy."
    ),
    "signals.MatchDecision": gettext_lazy(
        "A signal officer's decision which resident a partner's reference belongs to holds "
        "only a keyed hash of that reference; the signals it linked are in the copy."
    ),
}


def _flat(record: list[dict[str, Any]]) -> dict[str, Any]:
    return {field["key"]: field["value"] for field in record}


def export_json(person: Person, parts: dict[str, list[dict[str, Any]]], made_at: Any) -> bytes:
    """The copy for a computer: every section with its records as key → value."""
    sections = [section for key, _function in PARTS for section in parts.get(key, [])]
    document = {
        "about": person.full_name,
        "made_at": timezone.localtime(made_at).isoformat(timespec="seconds"),
        "sections": {
            section["key"]: {
                "title": section["title"],
                "note": section["note"],
                "records": [_flat(record) for record in section["records"]],
            }
            for section in sections
        },
        "not_included": {model: str(reason) for model, reason in NOT_EXPORTED.items()},
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def ordered_sections(parts: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return [section for key, _function in PARTS for section in parts.get(key, [])]
