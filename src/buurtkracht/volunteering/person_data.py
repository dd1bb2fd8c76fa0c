"""What `volunteering` holds about one resident, for their copy of their data (AVG art.
15, `privacy/export.py`): the requests for a volunteer made for them or their household."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from buurtkracht.core.person_data import Section, model_record
from buurtkracht.households.models import Household, Person
from buurtkracht.volunteering.models import VolunteerRequest


def person_sections(person: Person, households: list[Household]) -> list[Section]:
    ids = [h.pk for h in households]
    requests = (
        VolunteerRequest.objects.filter(Q(person=person) | Q(household_id__in=ids))
        .select_related("volunteer")
        .order_by("requested_at", "pk")
    )
    return [
        Section(
            "volunteer_requests",
            _("Requests for a volunteer"),
            [
                model_record(
                    v,
                    [
                        "kind",
                        "asked",
                        "share_address",
                        "share_phone",
                        "status",
                        "requested_at",
                        "matched_at",
                        "ended_at",
                        "end_reason",
                    ],
                    volunteer=(_("volunteer"), v.volunteer.get_full_name() if v.volunteer else ""),
                )
                for v in requests
            ],
        )
    ]
