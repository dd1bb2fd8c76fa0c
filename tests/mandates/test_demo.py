"""The demo has the corporation's and the debt bank's mandates, granted to the teams,
with decisions under them in the past, one on story 1's file; the corporation's liaison
`partner` sees that one on their page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtkracht.accounts.models import User
from buurtkracht.core.models import Organisation
from buurtkracht.demo.generator import generate_municipality
from buurtkracht.households.models import Household
from buurtkracht.mandates.models import Mandate, MandateDecision

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_has_mandates_with_decisions_one_on_story_one() -> None:
    generate_municipality(seed=1, households=60, progress=False)
    kinds = set(Mandate.objects.values_list("organisation__kind", flat=True))
    assert kinds == {
        Organisation.Kind.HOUSING_CORPORATION,
        Organisation.Kind.DEBT_COUNSELLING,
    }
    arrangement = Mandate.objects.get(decision="Betalingsregeling huurachterstand")
    assert arrangement.max_amount_cents == 150_000
    assert arrangement.teams.filter(name="Team Oost").exists()
    today = timezone.localdate()
    assert MandateDecision.objects.count() >= 3
    assert not MandateDecision.objects.filter(decided_on__gt=today).exists()
    resident = User.objects.get(username="bewoner")
    story = Household.objects.get(memberships__person=resident.person)
    on_story = MandateDecision.objects.get(household=story)
    assert on_story.mandate == arrangement and on_story.decided_by.username == "wijkwerker"
    client = Client()
    client.force_login(User.objects.get(username="partner"))
    html = client.get(reverse("mandates:partner")).content.decode()
    assert resident.person is not None and resident.person.full_name in html
    assert "Snelle intake" not in html  # the debt bank's decisions are not the corporation's
