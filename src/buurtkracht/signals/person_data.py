"""What `signals` holds about one resident, for their copy of their data (AVG art. 15,
`privacy/export.py`): the signals partners sent about them (a missed rent or energy
payment) and the reports those signals made for their address."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from buurtkracht.core.person_data import Section, model_record
from buurtkracht.households.models import Household, Person
from buurtkracht.signals.models import Report, Signal


def person_sections(person: Person, households: list[Household]) -> list[Section]:
    signals = list(
        Signal.objects.filter(person=person)
        .select_related("organisation")
        .order_by("signal_date", "pk")
    )
    report_ids = {s.report_id for s in signals if s.report_id}
    reports = Report.objects.filter(
        Q(pk__in=report_ids) | Q(household_id__in=[h.pk for h in households])
    ).order_by("month", "pk")
    return [
        Section(
            "signals",
            _("Signals about you"),
            [
                model_record(
                    s,
                    [
                        "organisation",
                        "partner_kind",
                        "signal_date",
                        "amount",
                        "missed_terms",
                        "end_of_supply_date",
                        "created_at",
                    ],
                )
                for s in signals
            ],
        ),
        Section(
            "signal_reports",
            _("Reports made from signals"),
            [
                model_record(
                    r,
                    [
                        "month",
                        "first_signal_date",
                        "first_attempt_at",
                        "status",
                        "outcome",
                        "closed_at",
                    ],
                )
                for r in reports
            ],
        ),
    ]
