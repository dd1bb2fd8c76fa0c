"""A composition change in a household file, so a newcomer sees the history the worker
keeps (issue 16, item 3): in a household a demo worker leads, a housemate or partner moved
out some weeks ago. The membership stays with its end date; the audit log has the move."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from buurtkracht.audit.models import Ground
from buurtkracht.households.composition import membership_end
from buurtkracht.households.models import Household, Involvement, Membership

MOVED_OUT_DAYS_AGO = 40
_WHO_MOVES = (Membership.Role.HOUSEMATE, Membership.Role.PARTNER, Membership.Role.OTHER_RELATIVE)


@transaction.atomic
def composition_story_create(*, resident_household: Household | None) -> dict[str, int]:
    """Move one member out of the first led household (not story 1's) that has one who
    lived there long enough to have moved out 40 days ago."""
    moved_out_on = timezone.localdate() - dt.timedelta(days=MOVED_OUT_DAYS_AGO)
    leads = (
        Involvement.objects.filter(kind=Involvement.Kind.LEAD, end_date__isnull=True)
        .exclude(household=resident_household)
        .select_related("worker")
        .order_by("household_id")
    )
    for involvement in leads:
        membership = (
            Membership.objects.filter(
                household_id=involvement.household_id,
                role__in=_WHO_MOVES,
                end_date__isnull=True,
                start_date__lt=moved_out_on,
            )
            .order_by("pk")
            .first()
        )
        if membership is None:
            continue
        membership_end(
            membership=membership,
            end_date=moved_out_on,
            user=involvement.worker,
            ground=Ground.INVOLVEMENT,
        )
        return {"moved_out": 1}
    return {"moved_out": 0}
