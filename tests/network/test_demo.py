"""The demo: story 2 for the `bewoner` household, simple maps for some others."""

from __future__ import annotations

import pytest

from buurtkracht.accounts.models import User
from buurtkracht.demo.generator import generate_municipality
from buurtkracht.demo.network import network_demo_create
from buurtkracht.households.models import Household
from buurtkracht.network.models import NetworkVersion, Tie
from buurtkracht.network.queries import compare, version_states

pytestmark = pytest.mark.django_db


def test_story_two_grows_from_two_ties_to_seven_with_three_versions() -> None:
    generate_municipality(seed=3, households=300, batch_size=300, progress=False)
    resident = User.objects.get(username="bewoner")
    household = Household.objects.get(memberships__person=resident.person)
    Tie.objects.all().delete()  # in case the generator already wires the network demo
    NetworkVersion.objects.all().delete()
    made = network_demo_create(seed=3, resident_household=household)
    assert made > 7
    versions = list(NetworkVersion.objects.filter(household=household).order_by("saved_on"))
    assert [v.label for v in versions] == ["Intake", "Evaluatie", "Evaluatie"]
    assert [len(v.ties) for v in versions] == [2, 4, 7]
    result = compare(version_states(versions[0]), version_states(versions[-1]))
    assert len(result.added) == 5 and result.restored_after == 2
    assert any(t.relation == "kwartiermaker" for t in result.added)
    changed = compare(version_states(versions[1]), version_states(versions[2])).changed
    assert {c.tie.name for c in changed} == {"Herstelgroep De Brug"}
    others = NetworkVersion.objects.exclude(household=household)
    assert others.exists()
    assert all(v.ties for v in others)
