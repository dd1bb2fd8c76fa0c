"""The resident's own door in the demo (issue 19): `bewoner` has used the portal before —
six days ago they gave themselves a mark per life domain, and two days ago they gave
consent online for their story to be used in the neighbourhood report, so their progress
and consent pages show answers of their own next to the worker's."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from buurtkracht.accounts.models import User
from buurtkracht.audit.models import Ground
from buurtkracht.demo.clock import days_ago
from buurtkracht.households.consent import Purpose
from buurtkracht.households.consent_online import consent_by_resident
from buurtkracht.households.models import Consent, Household
from buurtkracht.outcomes.models import Assessment, InstrumentVersion
from buurtkracht.outcomes.services import assessment_record

OWN_MARKS = {"finances": 4, "housing": 6, "mental_health": 5, "social_network": 7}


def portal_demo_create(*, resident_household: Household | None) -> int:
    """Returns how many answers the demo resident gave online (0 without story 1)."""
    resident = User.objects.filter(username="bewoner").first()
    if (
        resident is None
        or resident_household is None
        or resident.person_id not in resident_household.current_member_ids()
    ):
        return 0
    given = 0
    version = InstrumentVersion.objects.filter(instrument__code="own_score", active=True).first()
    person = resident.person
    if version is not None and person is not None:
        assessment_record(
            household=resident_household,
            instrument_version=version,
            moment=Assessment.Moment.OTHER,
            perspective=Assessment.Perspective.RESIDENT,
            held_on=timezone.localdate() - dt.timedelta(days=6),
            scores=OWN_MARKS,
            person=person,
            note="Met het geld gaat het nog niet, maar ik heb meer mensen om me heen.",
            user=resident,
            ground=Ground.OWN_DATA,
        )
        given += 1
    consent = consent_by_resident(
        resident=resident,
        household=resident_household,
        purpose=Purpose.STORY_IN_REPORT,
        given=True,
    )
    Consent.objects.filter(pk=consent.pk).update(recorded_at=days_ago(2, 20, 15))
    return given + 1
