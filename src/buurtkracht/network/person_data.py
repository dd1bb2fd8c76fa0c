"""What `network` holds about one resident, for their copy of their data (AVG art. 15,
`privacy/export.py`): their support-network map (the people and organisations around
them, ended ties too) and the versions of it that were saved."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from buurtkracht.core.person_data import Section, model_record
from buurtkracht.households.models import Household, Person
from buurtkracht.network.models import NetworkVersion, Tie


def person_sections(person: Person, households: list[Household]) -> list[Section]:
    ids = [h.pk for h in households]
    mine = Q(person=person) | Q(household_id__in=ids, person__isnull=True)
    return [
        Section(
            "network",
            _("Your network map"),
            [
                model_record(
                    t,
                    [
                        "name",
                        "organisation",
                        "kind",
                        "relation",
                        "support",
                        "closeness",
                        "quality",
                        "energy",
                        "contact",
                        "restored",
                        "do_not_contact",
                        "phone",
                        "note",
                        "added_on",
                        "ended_on",
                        "end_reason",
                    ],
                )
                for t in Tie.objects.filter(mine)
                .select_related("organisation")
                .order_by("added_on", "pk")
            ],
        ),
        Section(
            "network_versions",
            _("Saved versions of your network map"),
            [
                model_record(
                    v,
                    ["saved_on", "label", "note"],
                    ties=(_("people and organisations"), len(v.ties or [])),
                )
                for v in NetworkVersion.objects.filter(mine).order_by("saved_on", "pk")
            ],
        ),
    ]
