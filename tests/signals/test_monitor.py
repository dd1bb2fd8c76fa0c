"""The signal monitor: its figures on a known small data set, rounded to base 5 with the
rates computed from the rounded counts (core.disclosure), the cost picture, the page with
its charts, the exports and who may see them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from buurtkracht.accounts.models import Role
from buurtkracht.audit.models import Action, AuditEvent
from buurtkracht.core.models import Area, Organisation, Team
from buurtkracht.households.models import Person
from buurtkracht.signals.models import (
    ContactAttempt,
    Delivery,
    MonitorCount,
    PartnerKind,
    Report,
    Signal,
)
from buurtkracht.signals.monitor import (
    GROUPINGS,
    Counts,
    Figure,
    MonthRange,
    cost_picture,
    monitor_rows,
    total_row,
)
from buurtkracht.signals.monitor.counts import _median
from buurtkracht.signals.services import outreach_settings
from tests import factories
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)
LETTER, PHONE, VISIT = (
    ContactAttempt.Kind.LETTER,
    ContactAttempt.Kind.PHONE,
    ContactAttempt.Kind.HOME_VISIT,
)
_numbers = itertools.count(1)


@dataclass
class World:
    personas: Personas
    delivery: Delivery
    team: Team  # Team Oost, serves Lindenbuurt
    other_team: Team  # Team West, serves Vogelwijk
    area: Area  # Lindenbuurt, 1,500 inhabitants
    other_area: Area  # Vogelwijk, 1,500 inhabitants

    def report(
        self,
        month: dt.date,
        *,
        signals: int = 1,
        consecutive: bool = False,
        outcome: str = "",
        status: str = Report.Status.CLOSED,
        days_to_first_attempt: int | None = None,
        attempts: Sequence[tuple[str, bool]] = (),
        person: Person | None = None,
        last_signal: dt.date | None = None,
        other: bool = False,
    ) -> Report:
        """A report with its signals and attempts, made straight with the ORM."""
        n = next(_numbers)
        created = timezone.make_aware(dt.datetime(month.year, month.month, 5, 10, 0))
        report = Report.objects.create(
            address_key=f"9990AB|{n}",
            month=month,
            team=self.other_team if other else self.team,
            neighbourhood=self.other_area if other else self.area,
            multiple=signals > 1,
            consecutive=consecutive,
            first_signal_date=month.replace(day=3),
            first_attempt_due=month.replace(day=12),
            first_attempt_at=(
                created + dt.timedelta(days=days_to_first_attempt)
                if days_to_first_attempt is not None
                else None
            ),
            status=status,
            outcome=outcome,
        )
        Report.objects.filter(pk=report.pk).update(created_at=created)
        for i in range(signals):
            Signal.objects.create(
                delivery=self.delivery,
                organisation=self.delivery.organisation,
                partner_kind=PartnerKind.HOUSING,
                partner_reference=f"R{n}-{i}",
                signal_date=last_signal if (last_signal and i == signals - 1) else month,
                surname="Berg",
                house_number=n,
                postcode="9990AB",
                report=report,
                person=person,
                match_status=Signal.MatchStatus.AUTOMATIC,
            )
        for index, (kind, reached) in enumerate(attempts):
            ContactAttempt.objects.create(
                report=report,
                kind=kind,
                reached=reached,
                at=created + dt.timedelta(days=index),
                by=self.personas.worker,
            )
        return report


def make_world(personas: Personas) -> World:
    """The personas' teams and neighbourhoods, and a delivery of the housing corporation."""
    corporation = Organisation.objects.get(name="Woonstichting Test")
    delivery = Delivery.objects.create(
        organisation=corporation, channel=Delivery.Channel.UPLOAD, checksum="x" * 64
    )
    outreach_settings()
    return World(
        personas=personas,
        delivery=delivery,
        team=Team.objects.get(name="Team Oost"),
        other_team=Team.objects.get(name="Team West"),
        area=Area.objects.get(name="Lindenbuurt"),
        other_area=Area.objects.get(name="Vogelwijk"),
    )


@pytest.fixture
def world(personas: Personas) -> World:
    return make_world(personas)


def known_january(world: World) -> None:
    """Ten reports in January in Lindenbuurt (1,500 inhabitants):
    12 signals (two reports with two), 3 consecutive; 4 accepted, 2 declined, 4 not
    reached; a letter each (none reached), a phone call each (6 reached), 3 home visits
    (none reached); days to the first attempt 0 1 1 2 2 3 3 4 5 10 (median 2.5)."""
    days = [0, 1, 1, 2, 2, 3, 3, 4, 5, 10]
    outcomes = [Report.Outcome.ACCEPTED] * 4 + [Report.Outcome.DECLINED] * 2
    outcomes += [Report.Outcome.NOT_REACHED] * 4
    for i in range(10):
        attempts: list[tuple[str, bool]] = [(LETTER, False), (PHONE, i < 6)]
        if i in (6, 7, 8):
            attempts.append((VISIT, False))
        world.report(
            JAN,
            signals=2 if i < 2 else 1,
            consecutive=i < 3,
            outcome=outcomes[i],
            days_to_first_attempt=days[i],
            attempts=attempts,
        )


def small_february(world: World) -> None:
    """Three reports in February: every count about them is rounded (3 → 5), and no rate
    is computed on fewer than ten."""
    for _ in range(3):
        world.report(
            FEB, outcome=Report.Outcome.ACCEPTED, days_to_first_attempt=1, attempts=[(PHONE, True)]
        )


# Figures -------------------------------------------------------------------------------------


def test_figures_on_a_known_data_set(world: World) -> None:
    known_january(world)
    january, february, march = monitor_rows(months=MonthRange(JAN, MAR))
    assert [r.key for r in (january, february, march)] == [JAN, FEB, MAR]
    c = january.counts
    assert (c.signals, c.reports, c.multiple, c.consecutive) == (12, 10, 2, 3)
    assert (c.reached, c.accepted) == (6, 4)
    # Published: every count rounded to base 5 (12 → 10, 2 → 0, 3 → 5, 6 → 5, 4 → 5).
    shown = (january.signals, january.reports, january.multiple, january.consecutive)
    assert [f.value for f in shown] == [10, 10, 0, 5]
    assert (january.reached.value, january.accepted.value) == (5, 5)
    # All neighbourhoods together: Lindenbuurt and Vogelwijk, 1,500 each; the rates are
    # computed from the published counts.
    assert january.inhabitants == 3000
    assert january.signals_per_1000.value == pytest.approx(1000 * 10 / 3000)
    assert january.share_multiple.value == pytest.approx(0)
    assert january.share_consecutive.value == pytest.approx(50)
    assert january.contact_rate.value == pytest.approx(50)
    # 5 of 5 published reached: no rate on fewer than ten.
    assert january.acceptance_rate.value is None and str(january.acceptance_rate) == "—"
    assert january.median_days.value == 2.5
    by_kind = {a.kind: a for a in january.attempt_figures([LETTER, PHONE, VISIT])}
    assert (by_kind[LETTER].attempts.value, by_kind[LETTER].reach_rate.value) == (10, 0)
    assert (by_kind[PHONE].attempts.value, by_kind[PHONE].reached.value) == (10, 5)
    assert by_kind[PHONE].reach_rate.value == pytest.approx(50)
    assert by_kind[PHONE].reference == 59
    # Three home visits: published as 5, and no rate on it.
    assert str(by_kind[VISIT].attempts) == "5"
    assert str(by_kind[VISIT].reach_rate) == "—"
    # An empty month: zeros, and nothing to compute.
    assert str(february.reports) == "0"
    assert str(february.contact_rate) == "—"


def test_one_neighbourhood_counts_its_own_inhabitants(world: World) -> None:
    known_january(world)
    (january,) = monitor_rows(months=[JAN], neighbourhood_id=world.area.pk)
    assert january.inhabitants == 1500
    # 12 signals, published as 10.
    assert january.signals_per_1000.value == pytest.approx(1000 * 10 / 1500)
    (team_row,) = monitor_rows(months=[JAN], team_id=world.team.pk, group_by="team")
    assert team_row.label == "Team Oost"
    assert team_row.signals_per_1000.value == pytest.approx(1000 * 10 / 1500)


def test_fewer_than_five_reports_are_rounded_and_get_no_rate(world: World) -> None:
    small_february(world)
    (february,) = monitor_rows(months=[FEB])
    assert february.counts.reports == 3
    for figure in (february.reports, february.signals, february.accepted):
        assert figure.value == 5 and str(figure) == "5" and figure.export() == 5
    for figure in (
        february.contact_rate,
        february.acceptance_rate,
        february.share_multiple,
        february.median_days,
    ):
        assert figure.value is None and str(figure) == "—" and figure.export() == ""
    assert february.signals_per_1000.value == pytest.approx(1000 * 5 / 3000)
    assert str(february.multiple) == "0"


def test_grouping_per_neighbourhood_and_team(world: World) -> None:
    known_january(world)
    for _ in range(2):
        world.report(JAN, other=True, outcome=Report.Outcome.NOT_REACHED)
    rows = monitor_rows(months=[JAN], group_by="neighbourhood")
    assert [r.label for r in rows] == ["Lindenbuurt", "Vogelwijk"]
    assert rows[0].counts.reports == 10
    assert str(rows[1].reports) == "0"  # two reports
    assert rows[0].signals_per_1000.value == pytest.approx(1000 * 10 / 1500)
    teams = monitor_rows(months=[JAN], group_by="team")
    assert [(r.label, r.counts.reports) for r in teams] == [("Team Oost", 10), ("Team West", 2)]
    total = total_row(rows, group_by="neighbourhood")
    assert total.counts.reports == 12
    # The total is the sum of the published rows (10 + 0), not the true 12 rounded: it
    # says nothing the rows do not.
    assert total.reports.value == 10
    assert total.inhabitants == 3000


def test_kept_counts_are_added_to_live_reports(world: World) -> None:
    known_january(world)
    MonitorCount.objects.create(
        month=JAN,
        team=world.team,
        neighbourhood=world.area,
        signals=6,
        reports=5,
        multiple=1,
        consecutive=0,
        reached=2,
        accepted=0,
        attempts={"letter": [5, 1], "_first_attempt_days": {"20": 5}},
    )
    (january,) = monitor_rows(months=[JAN])
    assert (january.counts.reports, january.counts.signals) == (15, 18)
    assert january.counts.attempts[LETTER] == [15, 1]
    # 8 reached of 15 reports, published as 10 of 15.
    assert january.contact_rate.value == pytest.approx(10 / 15 * 100)
    # 0 1 1 2 2 3 3 4 5 10 20 20 20 20 20: the middle one is 4.
    assert january.median_days.value == 4


def test_median_of_a_histogram() -> None:
    assert _median({}) is None
    assert _median({3: 1}) == 3
    assert _median({1: 1, 2: 1}) == 1.5
    assert _median({0: 1, 1: 2, 2: 2, 3: 2, 4: 1, 5: 1, 10: 1}) == 2.5


def test_cost_picture(world: World) -> None:
    known_january(world)
    settings = outreach_settings()
    # No month with any acceptance: no amount.
    assert not cost_picture(monitor_rows(months=[MAR]), settings).shown
    cost = cost_picture(monitor_rows(months=[JAN]), settings)
    assert cost.households.value == 5  # four households, published as 5
    assert cost.possible_savings == 5 * 46500
    small_february(world)
    # Per month: 4 → 5 and 3 → 5; the amount rests on the published 10, not the true 7.
    cost = cost_picture(monitor_rows(months=[JAN, FEB]), settings)
    assert cost.households.value == 10
    assert cost.saving_per_household == 50000 - 3500
    assert cost.possible_savings == 10 * 46500
    assert cost.corporation_costs_avoided == 10 * 7000
    settings.prevention_cost = 4000
    assert cost_picture(monitor_rows(months=[JAN, FEB]), settings).possible_savings == 10 * 46000


def test_monitor_uses_a_fixed_number_of_queries(world: World) -> None:
    known_january(world)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            for group_by in GROUPINGS:
                monitor_rows(months=MonthRange(JAN, MAR), group_by=group_by)
        return len(context)

    before = queries()
    small_february(world)
    for _ in range(5):
        world.report(MAR, other=True, attempts=[(VISIT, True)], days_to_first_attempt=2)
    assert queries() == before


def test_figure_text() -> None:
    assert str(Figure(None, "percent", "small")) == "—"
    assert str(Figure(None, "percent", "none")) == "—"
    assert Figure(66.666, "percent").export() == 66.7
    assert Counts(days={2: 1}).attempts_json() == {"_first_attempt_days": {"2": 1}}


# The page ------------------------------------------------------------------------------------


def test_who_may_see_the_monitor(client: Client, personas: Personas) -> None:
    url = reverse("signals:monitor")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    allowed = {"team_leader", "policy_advisor", "signal_officer"}
    for name, user in personas.all().items():
        client.force_login(user)
        assert client.get(url).status_code == (200 if name in allowed else 404), name
        export = client.get(reverse("signals:monitor-export", args=["csv"]))
        assert export.status_code == (200 if name in allowed else 404), name
    officer = factories.UserFactory.create(roles=[Role.SIGNAL_OFFICER])
    client.force_login(officer)
    assert client.get(url).status_code == 200


def test_page_shows_the_figures_charts_and_logs_a_read(client: Client, world: World) -> None:
    known_january(world)
    small_february(world)
    client.force_login(world.personas.policy_advisor)
    with CaptureQueriesContext(connection) as first:
        response = client.get(
            reverse("signals:monitor"), {"month_from": "2026-01", "month_to": "2026-03"}
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('role="img"') == 2
    assert 'aria-labelledby="chart-signals-title chart-signals-desc"' in page
    assert response.context["disclosure"] in page  # the rounding, explained
    assert 'tabindex="0" role="region"' in page
    rows = response.context["rows"]
    assert [r.counts.reports for r in rows] == [10, 3, 0]
    assert [r.reports.value for r in rows] == [10, 5, 0]
    # Accepted 4 in January and 3 in February, published as 5 and 5.
    assert response.context["cost"].possible_savings == 10 * 46500
    # The chart's text alternative carries the numbers, as published.
    signals_chart = response.context["charts"][0]
    assert [bar.text for bar in signals_chart.bars][1] == str(rows[1].signals_per_1000)
    event = AuditEvent.objects.filter(action=Action.READ).latest("sequence")
    assert event.details["page"] == "signal monitor"
    assert event.subject_ids == []

    # More reports, the same number of queries.
    for _ in range(6):
        world.report(MAR, other=True, attempts=[(VISIT, True)], days_to_first_attempt=3)
    with CaptureQueriesContext(connection) as second:
        client.get(reverse("signals:monitor"), {"month_from": "2026-01", "month_to": "2026-03"})
    assert len(second) == len(first)


def test_per_team_shows_team_rows_and_month_charts(client: Client, world: World) -> None:
    known_january(world)
    client.force_login(world.personas.team_leader)
    response = client.get(
        reverse("signals:monitor"),
        {"month_from": "2026-01", "month_to": "2026-02", "group_by": "team"},
    )
    assert [r.label for r in response.context["rows"]] == ["Team Oost", "Team West"]
    assert len(response.context["charts"][0].bars) == 2  # still per month


def test_default_period_is_the_last_twelve_months(client: Client, world: World) -> None:
    client.force_login(world.personas.policy_advisor)
    response = client.get(reverse("signals:monitor"))
    months = response.context["selection"].months
    assert len(months) == 12
    assert months[-1] == timezone.localdate().replace(day=1)


def test_wrong_period_is_explained(client: Client, world: World) -> None:
    client.force_login(world.personas.policy_advisor)
    response = client.get(
        reverse("signals:monitor"), {"month_from": "2026-05", "month_to": "2026-01"}
    )
    assert response.status_code == 200
    assert response.context["selection"] is None
    assert 'role="alert"' in response.content.decode()


# Exports -------------------------------------------------------------------------------------


def test_csv_export(client: Client, world: World) -> None:
    known_january(world)
    small_february(world)
    client.force_login(world.personas.policy_advisor)
    response = client.get(
        reverse("signals:monitor-export", args=["csv"]),
        {"month_from": "2026-01", "month_to": "2026-02"},
        headers={"accept-language": "en"},  # the column names below are the English ones
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "signaalmonitor-202601-202602.csv" in response["Content-Disposition"]
    header, january, february, total = list(csv.reader(io.StringIO(response.content.decode())))
    column = {name: i for i, name in enumerate(header)}
    # The published figures of the page: counts rounded to base 5, rates from them.
    assert january[column["Signals"]] == "10"  # 12
    assert january[column["Signals per 1,000 inhabitants per month"]] == "3.3"
    assert january[column["Contact rate (%)"]] == "50.0"  # 5 of 10
    assert january[column["Acceptance rate (%)"]] == ""  # 5 of 5: not on fewer than ten
    assert january[column["Days to first attempt (median)"]] == "2.5"
    assert january[column["phone call: reached (%)"]] == "50.0"
    assert january[column["home visit: attempts"]] == "5"  # 3
    assert february[column["Reports"]] == "5"  # 3
    assert february[column["Contact rate (%)"]] == ""
    assert total[column["Reports"]] == "15"  # 10 + 5, the published rows
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.details["export"] == "signal monitor"
    assert event.details["format"] == "csv"
    assert event.details["rows"] == 2


def test_xlsx_export_reads_back(client: Client, world: World) -> None:
    known_january(world)
    client.force_login(world.personas.policy_advisor)
    response = client.get(
        reverse("signals:monitor-export", args=["xlsx"]),
        {"month_from": "2026-01", "month_to": "2026-01", "group_by": "neighbourhood"},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    header, *rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert header[0] == "Neighbourhood"
    assert [row[0] for row in rows] == ["Lindenbuurt", "Vogelwijk", "Total"]
    assert rows[0][header.index("Signals")] == 10
    assert rows[0][header.index("Contact rate (%)")] == 50.0
    assert rows[1][header.index("Reports")] == 0
    assert AuditEvent.objects.get(action=Action.EXPORT).details["format"] == "xlsx"


def test_export_asks_for_the_password_again_and_knows_its_formats(
    client: Client, world: World
) -> None:
    from buurtkracht.accounts.reauth import SESSION_KEY

    client.force_login(world.personas.policy_advisor)
    assert client.get(reverse("signals:monitor-export", args=["pdf"])).status_code == 404
    session = client.session
    session[SESSION_KEY] = 0
    session.save()
    response = client.get(reverse("signals:monitor-export", args=["csv"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:reauth"))
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_a_percentage_does_not_give_a_small_count_away(world: World) -> None:
    """Issue 15, finding 6: 48 reports, one household reached. The old monitor showed
    "<5" beside a contact rate of 2%, and 2% of 48 is 1. Now the rate is computed from the
    published counts (0 of 50), so it says nothing the counts do not."""
    for i in range(48):
        world.report(JAN, outcome=Report.Outcome.ACCEPTED if i == 0 else "")
    (january,) = monitor_rows(months=[JAN])
    assert (january.counts.reports, january.counts.reached) == (48, 1)
    assert (january.reports.value, january.reached.value) == (50, 0)
    rate, reports = january.contact_rate.value, january.reports.value
    assert rate is not None and reports is not None
    assert rate * reports / 100 == january.reached.value
    total = total_row([january], group_by="month")
    assert (total.reports.value, total.reached.value, total.contact_rate.value) == (50, 0, 0)
