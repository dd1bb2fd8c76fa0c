"""What `outcomes` holds about one resident, for their copy of their data (AVG art. 15,
`privacy/export.py`): the assessments taken with them (the worker's view and their own)
and the stories about them or their household."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from buurtkracht.core.person_data import Section, model_record
from buurtkracht.households.models import Household, Person
from buurtkracht.outcomes.models import Assessment, Story


def person_sections(person: Person, households: list[Household]) -> list[Section]:
    ids = [h.pk for h in households]
    assessments = (
        Assessment.objects.filter(Q(person=person) | Q(household_id__in=ids, person__isnull=True))
        .select_related("instrument_version", "by")
        .order_by("held_on", "pk")
    )
    stories = Story.objects.filter(Q(about=person) | Q(household_id__in=ids)).order_by(
        "written_on", "pk"
    )
    return [
        Section(
            "assessments",
            _("Assessments and scores"),
            [
                model_record(
                    a,
                    [
                        "instrument_version",
                        "moment",
                        "perspective",
                        "held_on",
                        "scores",
                        "summary",
                        "note",
                    ],
                    by=(_("worker"), a.by.get_full_name() if a.by else ""),
                )
                for a in assessments
            ],
        ),
        Section(
            "stories",
            _("Stories"),
            [model_record(s, ["title", "text", "written_on", "source"]) for s in stories],
        ),
    ]
