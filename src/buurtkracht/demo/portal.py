"""The resident's own door in the demo (issue 19): `bewoner` has used the portal before —
two days ago they gave consent online for their story to be used in the neighbourhood
report, so their consent page shows an answer of their own next to the worker's."""

from __future__ import annotations

from buurtkracht.accounts.models import User
from buurtkracht.demo.clock import days_ago
from buurtkracht.households.consent import Purpose
from buurtkracht.households.consent_online import consent_by_resident
from buurtkracht.households.models import Consent, Household


def portal_demo_create(*, resident_household: Household | None) -> int:
    """Returns how many online answers the demo resident gave (0 without story 1)."""
    resident = User.objects.filter(username="bewoner").first()
    if (
        resident is None
        or resident_household is None
        or resident.person_id not in resident_household.current_member_ids()
    ):
        return 0
    consent = consent_by_resident(
        resident=resident,
        household=resident_household,
        purpose=Purpose.STORY_IN_REPORT,
        given=True,
    )
    Consent.objects.filter(pk=consent.pk).update(recorded_at=days_ago(2, 20, 15))
    return 1
