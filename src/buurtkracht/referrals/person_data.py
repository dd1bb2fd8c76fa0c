"""What `referrals` holds about one resident, for their copy of their data (AVG art. 15,
`privacy/export.py`): the warm referrals made for them or their household."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from buurtkracht.core.person_data import Section, model_record
from buurtkracht.households.models import Household, Person
from buurtkracht.referrals.models import Referral


def person_sections(person: Person, households: list[Household]) -> list[Section]:
    ids = [h.pk for h in households]
    referrals = (
        Referral.objects.filter(Q(person=person) | Q(household_id__in=ids))
        .select_related("resource", "organisation")
        .order_by("created_at", "pk")
    )
    return [
        Section(
            "referrals",
            _("Referrals"),
            [
                model_record(
                    r,
                    [
                        "resource",
                        "organisation",
                        "professional_name",
                        "professional_phone",
                        "professional_email",
                        "status",
                        "reason",
                        "appointment_at",
                        "follow_up_on",
                        "created_at",
                    ],
                )
                for r in referrals
            ],
        )
    ]
