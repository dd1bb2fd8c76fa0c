"""The worker's households on "Mijn werk": the ones they lead come first (the tour's
"the first is the `bewoner` household" depends on it), then those where they help."""

from __future__ import annotations

import pytest
from django.utils import timezone

from buurtkracht.households.queries import my_involvements
from tests import factories
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_households_the_worker_leads_come_before_those_they_help_in(personas: Personas) -> None:
    helped = factories.MembershipFactory.create(household__address__street="Aakstraat").household
    helped.involvements.create(
        worker=personas.worker, kind="co_worker", start_date=timezone.localdate()
    )
    personas.household.address.street = "Zwanenlaan"
    personas.household.address.save()
    personas.make_worker_lead()

    kinds = [involvement.kind for involvement in my_involvements(personas.worker)]

    assert kinds == ["lead", "co_worker"]
