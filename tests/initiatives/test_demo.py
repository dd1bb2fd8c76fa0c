"""The demo initiatives: story 3 end to end, every state, and safe to call twice."""

from __future__ import annotations

from decimal import Decimal

import pytest

from buurtkracht.demo.initiatives import STORY_THREE, initiatives_demo_create
from buurtkracht.initiatives.models import Budget, Initiative
from tests import factories
from tests.initiatives.helpers import community_worker

pytestmark = pytest.mark.django_db


def test_the_demo_initiatives() -> None:
    community_worker()
    factories.OrganisationFactory.create(name="Gemeente Lindenhoven")
    factories.OrganisationFactory.create(name="Woonstichting Lindenhoven", housing_corporation=True)
    for district_name in ("Centrum", "Oost", "West"):
        district = factories.DistrictFactory.create(name=district_name)
        for i in range(3):
            factories.NeighbourhoodFactory.create(parent=district, name=f"{district_name} {i}")
    made = initiatives_demo_create(seed=1)
    assert made == 13
    assert Budget.objects.count() == 3
    story = Initiative.objects.get(title=STORY_THREE)
    assert story.status == Initiative.Status.REPORTED
    assert story.report.attendance == 14
    assert [(f.funder_name, f.amount) for f in story.fundings.all()] == [
        ("Gemeente Lindenhoven", Decimal("560.00")),
        ("Woonstichting Lindenhoven", Decimal("240.00")),
    ]
    assert story.decisions.last().decided_as == "wijkplatform Oost"  # type: ignore[union-attr]
    states = set(Initiative.objects.values_list("status", flat=True))
    assert states == set(Initiative.Status.values)
    assert initiatives_demo_create(seed=1) == 0
