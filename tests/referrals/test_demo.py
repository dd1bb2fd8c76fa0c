"""The demo's story-1 referral: consent recorded, and the whole path to "help started"."""

from __future__ import annotations

import pytest

from buurtkracht.demo.referrals import referrals_demo_create
from buurtkracht.households.consent import Purpose, consent_current, consent_is_valid
from buurtkracht.referrals.models import Referral
from tests.conftest import Personas
from tests.referrals.helpers import make_world

pytestmark = pytest.mark.django_db


def test_story_one_referral_runs_from_proposed_to_started(personas: Personas) -> None:
    world = make_world(personas, consent=False)
    made = referrals_demo_create(seed=1, resident_household=personas.household)
    assert made == 1
    referral = Referral.objects.get(household=personas.household)
    assert referral.resource == world.resource
    assert referral.status == Referral.Status.STARTED
    assert list(referral.steps.values_list("to_status", flat=True)) == list(Referral.FORWARD)
    assert consent_is_valid(
        consent_current(
            person=world.person,
            purpose=Purpose.SHARE_WITH_ORGANISATION,
            organisation=world.organisation,
        )
    )
