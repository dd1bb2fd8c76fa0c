"""What `mandates` holds about one resident, for their copy of their data (AVG art. 15,
`privacy/export.py`): the decisions a worker took about them under a partner
organisation's mandate (a payment arrangement, a postponement), as on their file."""

from __future__ import annotations

from django.utils.translation import gettext as _

from buurtkracht.core.person_data import Section, model_record
from buurtkracht.households.models import Household, Person
from buurtkracht.mandates.models import MandateDecision


def person_sections(person: Person, households: list[Household]) -> list[Section]:
    decisions = (
        MandateDecision.objects.filter(person=person)
        .select_related("mandate__organisation", "decided_by")
        .order_by("decided_on", "pk")
    )
    return [
        Section(
            "mandate_decisions",
            _("Decisions under a partner's mandate"),
            [
                model_record(
                    d,
                    ["what", "reason", "decided_on"],
                    mandate=(_("mandate"), str(d.mandate)),
                    amount=(_("amount (euro)"), d.amount),
                    by=(_("worker"), d.decided_by.get_full_name() or d.decided_by.username),
                )
                for d in decisions
            ],
        )
    ]
