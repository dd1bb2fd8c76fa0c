"""What `conferences` holds about one resident, for their copy of their data (AVG art.
15, `privacy/export.py`): their household's cases at a case conference, with the
question the team asked and what the conference decided and why."""

from __future__ import annotations

from django.utils.translation import gettext as _

from buurtkracht.conferences.models import Case
from buurtkracht.core.person_data import Section, model_record
from buurtkracht.households.models import Household, Person


def person_sections(person: Person, households: list[Household]) -> list[Section]:
    cases = (
        Case.objects.filter(household_id__in=[h.pk for h in households])
        .select_related("conference")
        .order_by("added_at", "pk")
    )
    return [
        Section(
            "conference_cases",
            _("Your situation at a case conference"),
            [
                model_record(
                    c,
                    ["anonymised", "question", "decision", "reasons", "decided_at"],
                    when=(_("date and time"), c.conference.starts_at),
                    kind=(_("kind of conference"), c.conference.get_kind_display()),
                )
                for c in cases
            ],
        )
    ]
