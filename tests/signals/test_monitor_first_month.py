"""The monitor shows months from the first month with data (issue 13: "months without demo
data are not shown as empty months of a monitor that claims twelve"). A month before the
first signal the municipality ever received is no month with zero signals; a month after
it without signals is, and shows 0. Run at the awkward instants of tests/clock.py, since
"the last twelve months" and "this month" depend on the date in Amsterdam."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation
from openpyxl import load_workbook

from buurtkracht.signals.models import MonitorCount, Report
from buurtkracht.signals.monitor import months_back
from tests.clock import at_each_awkward_instant
from tests.conftest import Personas
from tests.signals.test_monitor import World, make_world

pytestmark = pytest.mark.django_db

MONITOR = "signals:monitor"


@pytest.fixture
def world(personas: Personas) -> World:
    return make_world(personas)


def _dutch_month(month: dt.date) -> str:
    with translation.override("nl"):
        return formats.date_format(month, "YEAR_MONTH_FORMAT")


def _this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def _two_months_of_data(world: World) -> tuple[dt.date, dt.date, dt.date]:
    """Five reports two months ago, none last month, one this month."""
    this_month = _this_month()
    first, empty = months_back(this_month, 2), months_back(this_month, 1)
    for _ in range(5):
        world.report(first, outcome=Report.Outcome.ACCEPTED)
    world.report(this_month, status=Report.Status.OPEN)
    return first, empty, this_month


@at_each_awkward_instant
def test_the_page_starts_at_the_first_month_with_data(
    client: Client, world: World, clock_instant: dt.datetime
) -> None:
    first, empty, this_month = _two_months_of_data(world)
    client.force_login(world.personas.policy_advisor)
    response = client.get(reverse(MONITOR))  # the default: the last twelve months
    assert response.status_code == 200
    assert len(response.context["selection"].months) == 12
    rows = response.context["rows"]
    assert [row.key for row in rows] == [first, empty, this_month]
    # A month after the first with data and no signal really had none: 0, not left out.
    assert [row.counts.reports for row in rows] == [5, 0, 1]
    assert str(rows[1].reports) == "0"
    assert [len(chart.bars) for chart in response.context["charts"]] == [3, 3]
    page = response.content.decode()
    assert f"Cijfers vanaf {_dutch_month(first)}: eerder zijn er geen signalen ontvangen." in page


@at_each_awkward_instant
def test_the_exports_leave_out_the_months_before_the_first_data(
    client: Client, world: World, clock_instant: dt.datetime
) -> None:
    first, _empty, this_month = _two_months_of_data(world)
    client.force_login(world.personas.policy_advisor)
    response = client.get(reverse("signals:monitor-export", args=["csv"]))
    assert response.status_code == 200
    assert f"signaalmonitor-{first:%Y%m}-{this_month:%Y%m}.csv" in response["Content-Disposition"]
    _header, *lines, total = list(csv.reader(io.StringIO(response.content.decode())))
    with translation.override("nl"):
        assert [line[0] for line in lines] == [
            formats.date_format(m, "YEAR_MONTH_FORMAT")
            for m in (first, months_back(this_month, 1), this_month)
        ]
    assert total[0] == "Totaal"

    response = client.get(reverse("signals:monitor-export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    assert len(list(sheet.iter_rows(values_only=True))) == 1 + 3 + 1  # header, months, total


@at_each_awkward_instant
def test_per_team_the_rate_counts_only_the_months_with_data(
    client: Client, world: World, clock_instant: dt.datetime
) -> None:
    _two_months_of_data(world)
    client.force_login(world.personas.policy_advisor)
    response = client.get(reverse(MONITOR), {"group_by": "team"})
    team_row = next(r for r in response.context["rows"] if r.label == "Team Oost")
    # Six signals (published as 5) over three months in 1,500 inhabitants, not over
    # twelve months.
    assert team_row.months == 3
    assert team_row.signals_per_1000.value == pytest.approx(1000 * 5 / 1500 / 3)


def test_counts_kept_after_the_purge_are_data_too(client: Client, world: World) -> None:
    this_month = _this_month()
    kept = months_back(this_month, 4)
    MonitorCount.objects.create(month=kept, signals=6, reports=5, reached=2, accepted=1)
    world.report(months_back(this_month, 2))
    client.force_login(world.personas.policy_advisor)
    rows = client.get(reverse(MONITOR)).context["rows"]
    assert [row.key for row in rows] == [months_back(this_month, n) for n in (4, 3, 2, 1, 0)]
    assert [row.counts.reports for row in rows] == [5, 0, 1, 0, 0]


def test_a_period_that_starts_at_the_first_month_with_data_has_no_note(
    client: Client, world: World
) -> None:
    first, _empty, this_month = _two_months_of_data(world)
    client.force_login(world.personas.policy_advisor)
    response = client.get(
        reverse(MONITOR), {"month_from": f"{first:%Y-%m}", "month_to": f"{this_month:%Y-%m}"}
    )
    assert len(response.context["rows"]) == 3
    assert "eerder zijn er geen signalen ontvangen" not in response.content.decode()


def test_a_period_before_the_first_signal_says_so_and_shows_no_zeros(
    client: Client, world: World
) -> None:
    first, _empty, _this_month = _two_months_of_data(world)
    client.force_login(world.personas.policy_advisor)
    response = client.get(
        reverse(MONITOR),
        {
            "month_from": f"{months_back(first, 6):%Y-%m}",
            "month_to": f"{months_back(first, 1):%Y-%m}",
        },
    )
    assert response.status_code == 200
    assert "rows" not in response.context
    page = response.content.decode()
    assert f"Cijfers vanaf {_dutch_month(first)}" in page
    assert "Kies een latere periode." in page
    assert "<table" not in page


def test_without_any_signal_the_page_says_there_are_no_figures_yet(
    client: Client, world: World
) -> None:
    client.force_login(world.personas.policy_advisor)
    response = client.get(reverse(MONITOR))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Er zijn nog geen signalen ontvangen" in page
    assert "<table" not in page and 'role="img"' not in page
    export = client.get(reverse("signals:monitor-export", args=["csv"]))
    _header, total = list(csv.reader(io.StringIO(export.content.decode())))
    assert total[0] == "Totaal"
