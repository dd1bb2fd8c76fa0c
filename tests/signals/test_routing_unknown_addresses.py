"""Signals at addresses the register does not know are routed by the postcode table, read
once per batch: the narrowest range wins, and the number of queries does not grow with
the number of such reports (issue 17, item 7)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from buurtkracht.signals.models import Delivery, Report
from buurtkracht.signals.services import delivery_receive_rows
from tests import factories

pytestmark = pytest.mark.django_db


def _rows(prefix: str, doors: list[tuple[str, int]]) -> list[dict[str, str]]:
    day = timezone.localdate().replace(day=1).isoformat()
    return [
        {
            "partner_reference": f"{prefix}-{n}",
            "signal_date": day,
            "surname": "Onbekend",
            "initials": "X.",
            "postcode": postcode,
            "house_number": str(number),
            "amount": "150",
            "number_of_terms": "2",
        }
        for n, (postcode, number) in enumerate(doors)
    ]


def test_unknown_addresses_go_to_the_team_of_the_narrowest_range_in_few_queries() -> None:
    wide = factories.NeighbourhoodFactory.create(name="Wijd")
    corner = factories.NeighbourhoodFactory.create(name="Hoek")
    factories.PostcodeRangeFactory.create(
        neighbourhood=wide, postcode_from="9980AA", postcode_to="9989ZZ"
    )
    factories.PostcodeRangeFactory.create(  # an exception carved out of the wide range
        neighbourhood=corner, postcode_from="9985AB", postcode_to="9985AB", number_from=10,
        number_to=20,
    )  # fmt: skip
    team_wide = factories.TeamFactory.create(neighbourhoods=[wide])
    team_corner = factories.TeamFactory.create(neighbourhoods=[corner])
    housing = factories.OrganisationFactory.create(name="Wonen BV", kind="housing_corporation")

    with CaptureQueriesContext(connection) as few:
        delivery_receive_rows(
            organisation=housing,
            rows=_rows("A", [("9985AB", 12), ("9985AB", 30)]),
            channel=Delivery.Channel.API,
        )
    doors = [(f"998{n % 10}A{chr(65 + n % 26)}", 100 + n) for n in range(40)]
    with CaptureQueriesContext(connection) as many:
        delivery_receive_rows(
            organisation=housing, rows=_rows("B", doors), channel=Delivery.Channel.API
        )
    assert Report.objects.count() == 42
    by_door = {r.address_key: r for r in Report.objects.all()}
    assert by_door["9985AB|12|"].team_id == team_corner.pk
    assert by_door["9985AB|12|"].neighbourhood_id == corner.pk
    assert by_door["9985AB|30|"].team_id == team_wide.pk  # outside the exception's numbers
    assert all(r.team_id == team_wide.pk for k, r in by_door.items() if not k.startswith("9985AB"))
    # Twenty times the reports, not twenty times the queries.
    assert len(many.captured_queries) <= len(few.captured_queries) + 5
