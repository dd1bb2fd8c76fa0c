"""Search as a worker on a phone types it. Runs on SQLite (the fallback) and on PostgreSQL
(Dutch full text); the stemming test is PostgreSQL-only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from buurtkracht.socialmap.models import Resource
from buurtkracht.socialmap.search import Filters, search
from buurtkracht.socialmap.services import ResourceInput, resource_propose
from tests import factories
from tests.socialmap.helpers import community_worker, entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def map_(db: None) -> dict[str, object]:
    user = community_worker()
    district = factories.DistrictFactory.create(name="Oost")
    east = factories.NeighbourhoodFactory.create(parent=district, name="Lindenbuurt")
    west = factories.NeighbourhoodFactory.create(name="Vogelwijk")
    debt = entry(user, name="Schuldhulpverlening", description="Hulp bij schuld en geldzaken")
    coffee = entry(
        user,
        name="Koffieochtend Sint-Jozef",
        provider_name="Parochie Sint-Jozef",
        description="Elke dinsdag koffie, een praatje en nieuwe contacten.",
        kind=Resource.Kind.CHURCH,
        informal=True,
        access=Resource.Access.OPEN,
        life_domains=["social_network"],
        neighbourhoods=[east],
        verified_on=timezone.localdate() - dt.timedelta(days=400),
    )
    cafe = entry(
        user,
        name="Taalcafé",
        provider_name="Bibliotheek",
        description="Nederlands oefenen in een café",
        access=Resource.Access.OPEN,
        life_domains=["participation"],
        neighbourhoods=[west],
    )
    resource_propose(
        data=ResourceInput(name="Schuldenmaatjes", provider_name="X", description="schulden"),
        user=user,
    )
    return {
        "debt": debt,
        "coffee": coffee,
        "cafe": cafe,
        "east": east,
        "west": west,
        "district": district,
    }


def names(filters: Filters) -> list[str]:
    return [r.name for r in search(filters)]


def test_text_search_finds_by_word_start_without_accents(map_: dict[str, object]) -> None:
    assert names(Filters(query="schuld")) == ["Schuldhulpverlening"]
    assert names(Filters(query="taalcafe")) == ["Taalcafé"]
    assert names(Filters(query="koffie dinsdag")) == ["Koffieochtend Sint-Jozef"]
    assert names(Filters(query="parochie")) == ["Koffieochtend Sint-Jozef"]
    assert names(Filters(query="fietsenmaker")) == []


def test_proposals_are_not_found(map_: dict[str, object]) -> None:
    assert "Schuldenmaatjes" not in names(Filters(query="schulden"))
    assert "Schuldenmaatjes" not in names(Filters())


def test_filters(map_: dict[str, object]) -> None:
    assert names(Filters(life_domain="finances")) == ["Schuldhulpverlening"]
    assert names(Filters(open_access=True)) == ["Koffieochtend Sint-Jozef", "Taalcafé"]
    assert names(Filters(informal=True)) == ["Koffieochtend Sint-Jozef"]
    # The whole-municipality entry is there for every neighbourhood.
    assert names(Filters(area=map_["east"])) == ["Koffieochtend Sint-Jozef", "Schuldhulpverlening"]  # type: ignore[arg-type]
    assert names(Filters(area=map_["west"])) == ["Schuldhulpverlening", "Taalcafé"]  # type: ignore[arg-type]
    # A district covers its neighbourhoods.
    assert "Koffieochtend Sint-Jozef" in names(Filters(area=map_["district"]))  # type: ignore[arg-type]


def test_stale_mark(map_: dict[str, object]) -> None:
    coffee = map_["coffee"]
    debt = map_["debt"]
    assert isinstance(coffee, Resource) and isinstance(debt, Resource)
    assert coffee.is_stale and not debt.is_stale


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Dutch stemming needs PostgreSQL")
def test_dutch_stemming_on_postgresql(map_: dict[str, object]) -> None:
    assert names(Filters(query="schulden")) == ["Schuldhulpverlening"]
    assert names(Filters(query="contact")) == ["Koffieochtend Sint-Jozef"]


def test_broad_searches_are_counted_up_to_a_cap(db: None) -> None:
    from django.test import Client

    from buurtkracht.socialmap import views
    from buurtkracht.socialmap.search import count_capped

    user = community_worker()
    for n in range(4):
        entry(user, name=f"Wandelclub {n}", description="Samen wandelen in de buurt.")
    entry(user, name="Taalcafé", description="Nederlands oefenen.")
    assert count_capped(Filters(query="wandelen"), cap=10) == (4, False)
    assert count_capped(Filters(query="wandelen"), cap=3) == (3, True)
    assert count_capped(Filters(), cap=3) == (3, True)

    views.COUNT_CAP = 3
    try:
        browser = Client()
        browser.force_login(user)
        html = browser.get("/sociale-kaart/", {"q": "wandelen"}).content.decode()
    finally:
        views.COUNT_CAP = 1000
    assert "Meer dan 3 resultaten" in html
    assert html.count("Wandelclub") == 3  # the best matches, up to the cap
