"""The demo social map: plausible, mixed, and safe to call twice."""

from __future__ import annotations

import pytest

from buurtkracht.demo.socialmap import socialmap_demo_create
from buurtkracht.socialmap import hsds
from buurtkracht.socialmap.models import Resource
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_demo_social_map() -> None:
    district = factories.DistrictFactory.create(name="Centrum")
    for name in [f"Buurt {i}" for i in range(10)]:
        factories.NeighbourhoodFactory.create(parent=district, name=name)
    made = socialmap_demo_create(seed=1)
    assert 50 <= made <= 100
    published = Resource.objects.filter(status=Resource.Status.PUBLISHED)
    assert Resource.objects.filter(status=Resource.Status.PROPOSED).count() == 2
    assert published.filter(informal=True).exists() and published.filter(informal=False).exists()
    assert any(r.is_stale for r in published)
    assert socialmap_demo_create(seed=1) == 0
    assert hsds.document_errors(hsds.export_document()) == []
