"""The neighbourhood report (issue 7): figures on a known data set, published as
core.disclosure rounds them (issue 15) on the page and in the exports, audit events,
access and query count."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from buurtkracht.audit.models import Action, AuditEvent
from buurtkracht.casework.models import ClosureReason, Goal, Intake, Step
from buurtkracht.casework.services import (
    action_add,
    goal_add,
    goal_close,
    plan_close,
    plan_get_or_create,
)
from buurtkracht.core.disclosure import explanation
from buurtkracht.core.models import Area
from buurtkracht.households.models import Household
from buurtkracht.outcomes.models import Assessment
from buurtkracht.outcomes.reports import Period, outcome_report
from tests import factories
from tests.conftest import Personas
from tests.outcomes.helpers import assess

pytestmark = pytest.mark.django_db

URL = "outcomes:report"
EXPORT = "outcomes:report-export"


@dataclass
class World:
    personas: Personas
    area: Area  # Lindenbuurt
    other_area: Area  # Vogelwijk
    households: list[Household]


def _household(area: Area) -> Household:
    return factories.HouseholdFactory.create(address__neighbourhood=area)


def _intake(household: Household, source: str, user: Any) -> Intake:
    return Intake.objects.create(
        source=source, description="Synthetic.", household=household, created_by=user
    )


def make_world(personas: Personas) -> World:
    """Lindenbuurt: 8 households came in (6 own request, 2 early signal), 6 plans started,
    2 of them closed, 5 households with a goal reached; actions 6 × step 1, 5 × step 2,
    1 × step 4; self-reliance: 5 households up, 1 down. Vogelwijk: 7 households came in
    through a partner and nothing else."""
    area = Area.objects.get(name="Lindenbuurt")
    other_area = Area.objects.get(name="Vogelwijk")
    worker = personas.worker
    households = [_household(area) for _ in range(8)]
    for i, household in enumerate(households):
        _intake(household, Intake.Source.SIGNAL if i < 2 else Intake.Source.RESIDENT, worker)
    for _ in range(7):
        _intake(_household(other_area), Intake.Source.PARTNER, worker)
    today = timezone.localdate()
    for i, household in enumerate(households[:6]):
        plan = plan_get_or_create(household=household, user=worker)
        goal = goal_add(plan=plan, text="Rust in de financiën", domains=["finances"], user=worker)
        action_add(goal=goal, description="Post openen", owner="bewoner", step=1, user=worker)
        if i < 5:
            action_add(goal=goal, description="Zus helpt", owner="zus", step=2, user=worker)
            goal_close(
                goal=goal,
                status=Goal.Status.REACHED,
                words="Rust.",
                closed_on=today,
                user=worker,
            )
        else:
            action_add(goal=goal, description="Schuldhulp", owner="gemeente", step=4, user=worker)
        if i < 2:
            plan_close(plan=plan, reason=ClosureReason.GOALS_REACHED, reached="Rust.", user=worker)
        assess(household, worker, held_on=today - dt.timedelta(days=100))
        assess(
            household,
            worker,
            held_on=today - dt.timedelta(days=10),
            moment=Assessment.Moment.REVIEW,
            scores={"finances": 4 if i < 5 else 1, "housing": 3},
        )
    return World(personas, area, other_area, households)


@pytest.fixture
def world(personas: Personas) -> World:
    return make_world(personas)


def figures(response: Any) -> dict[str, dict[str, list[str]]]:
    """Per table id, per row label: the texts as on the page."""
    report = response.context["report"]
    return {
        table.id: {row.label: [f.text for f in row.figures] for row in [*table.rows, table.total]}
        for table in report.tables
    }


def assert_nothing_small(texts: list[str]) -> None:
    assert not [t for t in texts if t in {"1", "2", "3", "4", "-1", "-2", "-3", "-4"}]


def assert_published(texts: list[str]) -> None:
    """Every count on the page is a multiple of five (shares end in %, "—" is none)."""
    counts = [t for t in texts if not t.endswith("%") and t != "—"]
    assert all(int(t.replace(".", "")) % 5 == 0 for t in counts), counts


# Figures -------------------------------------------------------------------------------------


def test_figures_on_a_known_data_set(client: Client, world: World) -> None:
    client.force_login(world.personas.policy_advisor)
    response = client.get(reverse(URL))
    assert response.status_code == 200
    shown = figures(response)
    total = response.context["report"].tables[0].total.label

    # Reached: signal, own request, partner, outreach, other, total. Every count rounded
    # to base 5: two early signals → 0, six own requests → 5, eight households → 10.
    # The total of a row that is not a sum (a household in two columns counts once) is
    # rounded on its own; the column totals and the grand total add up published rows.
    assert shown["reach"]["Lindenbuurt"] == ["0", "5", "0", "0", "0", "10"]
    assert shown["reach"]["Vogelwijk"] == ["0", "0", "5", "0", "0", "5"]  # seven
    assert shown["reach"][total] == ["0", "5", "5", "0", "0", "15"]

    # Plans started (6), closed (2), households with a goal reached (5).
    assert shown["plans"]["Lindenbuurt"] == ["5", "0", "5"]
    assert shown["plans"]["Vogelwijk"] == ["0", "0", "0"]
    assert shown["plans"][total] == ["5", "0", "5"]

    # Four-step order: 6 × step 1, 5 × step 2, 1 × step 4, published as 5, 5, 0, 0 of
    # 10; the shares are of the published numbers.
    assert shown["steps"]["Lindenbuurt"] == ["50%", "50%", "0%", "0%", "10"]
    # Vogelwijk has no actions: no share on nothing.
    assert shown["steps"]["Vogelwijk"] == ["—", "—", "—", "—", "0"]

    # Self-reliance: up (5), the same (0), down (1), households with two assessments:
    # the sum of the published cells.
    assert shown["movement"]["Lindenbuurt"] == ["5", "0", "0", "5"]

    for rows in shown.values():
        for texts in rows.values():
            assert_nothing_small(texts)
            assert_published(texts)
    assert response.context["disclosure"] in response.content.decode()


def test_a_team_keeps_its_own_neighbourhoods(world: World) -> None:
    today = timezone.localdate()
    team = world.area.teams.get()
    report = outcome_report(period=Period(today - dt.timedelta(days=30), today), team=team)
    assert [row.label for row in report.tables[0].rows] == ["Lindenbuurt"]


def test_a_team_with_an_area_it_does_not_serve_shows_an_empty_report(
    client: Client, world: World
) -> None:
    """No neighbourhood is left: every table shows only its total row, at zero (this
    crashed with an IndexError before)."""
    team = world.area.teams.get()
    client.force_login(world.personas.team_leader)
    response = client.get(reverse(URL), {"team": team.pk, "area": world.other_area.pk})
    assert response.status_code == 200
    for table in response.context["report"].tables:
        assert table.rows == [], table.id
        assert table.total is not None
        texts = [f.text for f in table.total.figures]
        assert set(texts) <= {"0", "—"}, table.id
        assert len(texts) == len(table.columns), table.id


def test_a_period_without_the_data_shows_zeros(world: World) -> None:
    report = outcome_report(period=Period(dt.date(2020, 1, 1), dt.date(2020, 12, 31)))
    for table in report.tables:
        assert table.total is not None
        assert {f.text for f in table.total.figures} <= {"0", "—"}


def test_the_report_uses_a_fixed_number_of_queries(world: World) -> None:
    today = timezone.localdate()
    period = Period(today - dt.timedelta(days=365), today)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            outcome_report(period=period)
        return len(context)

    before = queries()
    for _ in range(6):
        household = _household(world.other_area)
        _intake(household, Intake.Source.STREET, world.personas.worker)
        plan = plan_get_or_create(household=household, user=world.personas.worker)
        goal = goal_add(plan=plan, text="Werk", domains=["finances"], user=world.personas.worker)
        action_add(
            goal=goal,
            description="Bellen",
            owner="bewoner",
            step=Step.NETWORK,
            user=world.personas.worker,
        )
    factories.NeighbourhoodFactory.create(parent=world.area.parent, name="Zonnebuurt")
    assert queries() == before


# The page ------------------------------------------------------------------------------------


def test_who_may_see_the_report(client: Client, personas: Personas) -> None:
    url = reverse(URL)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    allowed = {"team_leader", "policy_advisor"}
    for name, user in personas.all().items():
        client.force_login(user)
        assert client.get(url).status_code == (200 if name in allowed else 404), name
        export = client.get(reverse(EXPORT, args=["csv"]))
        assert export.status_code == (200 if name in allowed else 404), name


def test_page_view_is_audited(client: Client, world: World) -> None:
    client.force_login(world.personas.team_leader)
    client.get(reverse(URL), {"date_from": "2026-01-01", "date_to": "2026-06-30"})
    event = AuditEvent.objects.filter(action=Action.READ).latest("sequence")
    assert event.details["page"] == "outcome report"
    assert event.details["filters"] == {"from": "2026-01-01", "to": "2026-06-30"}
    assert event.subject_ids == []


def test_default_period_is_the_last_twelve_months(client: Client, world: World) -> None:
    client.force_login(world.personas.policy_advisor)
    period = client.get(reverse(URL)).context["report"].period
    today = timezone.localdate()
    assert period.end == today
    assert 364 <= (period.end - period.start).days <= 365


def test_wrong_period_is_explained(client: Client, world: World) -> None:
    client.force_login(world.personas.policy_advisor)
    response = client.get(reverse(URL), {"date_from": "2026-05-01", "date_to": "2026-01-01"})
    assert response.status_code == 200
    assert response.context["report"] is None
    assert 'role="alert"' in response.content.decode()
    export = client.get(
        reverse(EXPORT, args=["csv"]), {"date_from": "2026-05-01", "date_to": "2026-01-01"}
    )
    assert export.status_code == 302


# Exports -------------------------------------------------------------------------------------


def _page_lines(client: Client) -> list[list[Any]]:
    """The page's tables as rows of export values: what both exports must contain."""
    report = client.get(reverse(URL)).context["report"]
    return [line for table in report.tables for line in table.lines()[1:]]


def test_csv_export_is_the_page(client: Client, world: World) -> None:
    client.force_login(world.personas.policy_advisor)
    expected = [[str(value) for value in line] for line in _page_lines(client)]
    response = client.get(reverse(EXPORT, args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "wijkrapportage-" in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    for line in expected:
        assert line in lines
    cells = [cell for line in lines for cell in line]
    assert_nothing_small(cells)
    assert [explanation()] in lines
    event = AuditEvent.objects.filter(action=Action.EXPORT).latest("sequence")
    assert event.details["export"] == "outcome report"
    assert event.details["format"] == "csv"


def test_xlsx_export_is_the_page(client: Client, world: World) -> None:
    client.force_login(world.personas.team_leader)
    # An empty cell (no share to compute) reads back as None.
    expected = [[None if v == "" else v for v in line] for line in _page_lines(client)]
    response = client.get(reverse(EXPORT, args=["xlsx"]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    tables = len(figures(client.get(reverse("outcomes:report"))))
    assert len(workbook.sheetnames) == tables + 1  # and the stories
    lines = [
        list(row) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
    ]
    for line in expected:
        assert line in lines
    values = [value for line in lines for value in line]
    assert not [v for v in values if isinstance(v, int | float) and 0 < abs(v) < 5]
    assert (explanation(),) in [tuple(v for v in line if v is not None) for line in lines]
    event = AuditEvent.objects.filter(action=Action.EXPORT).latest("sequence")
    assert event.details["format"] == "xlsx"


def test_unknown_export_format_is_404(client: Client, world: World) -> None:
    client.force_login(world.personas.policy_advisor)
    assert client.get(reverse(EXPORT, args=["docx"])).status_code == 404


def test_ladder_and_own_score_movement_pair_the_same_households(world: World) -> None:
    """Six households: five climb a rung, one stays; the own score (resident's view) of
    the same households goes up for all six. An assessment without an intake before it
    does not count, and neither does a worker's view on the resident's instrument."""
    worker = world.personas.worker
    today = timezone.localdate()
    for i, household in enumerate(world.households[:6]):
        assess(
            household,
            worker,
            code="participation_ladder",
            held_on=today - dt.timedelta(days=200),
            scores={"rung": 2},
        )
        assess(
            household,
            worker,
            code="participation_ladder",
            held_on=today - dt.timedelta(days=20),
            moment=Assessment.Moment.REVIEW,
            scores={"rung": 3 if i < 5 else 2},
        )
        for moment, days, value in (
            (Assessment.Moment.INTAKE, 200, 4),
            (Assessment.Moment.REVIEW, 20, 6),
        ):
            assess(
                household,
                worker,
                code="own_score",
                held_on=today - dt.timedelta(days=days),
                moment=moment,
                perspective=Assessment.Perspective.RESIDENT,
                scores={"finances": value, "housing": value},
            )
    # Only a review, no intake: not paired.
    assess(
        world.households[6],
        worker,
        code="participation_ladder",
        held_on=today - dt.timedelta(days=5),
        moment=Assessment.Moment.REVIEW,
        scores={"rung": 5},
    )
    report = outcome_report(period=Period(today - dt.timedelta(days=364), today))
    tables = {table.id: table for table in report.tables}
    ladder = [f.text for f in tables["ladder"].rows[0].figures]
    assert tables["ladder"].rows[0].label == "Lindenbuurt"
    # Five up, one the same: published as 5 and 0, and the total as their sum.
    assert ladder == ["5", "0", "0", "5"]
    own = [f.text for f in tables["own-score"].rows[0].figures]
    assert own == ["5", "0", "0", "5"]


def test_signal_reports_by_what_came_of_them(world: World) -> None:
    from buurtkracht.signals.models import Report

    today = timezone.localdate()
    month = today.replace(day=1)
    outcomes = [Report.Outcome.ACCEPTED] * 6 + [Report.Outcome.DECLINED] * 2 + [""] * 7
    for n, outcome in enumerate(outcomes):
        Report.objects.create(
            address_key=f"1234AB-{n}",
            month=month,
            neighbourhood=world.area,
            first_signal_date=month,
            first_attempt_due=month,
            outcome=outcome,
        )
    report = outcome_report(period=Period(today - dt.timedelta(days=364), today))
    table = next(t for t in report.tables if t.id == "signals")
    linden = [f.text for f in table.rows[0].figures]
    # Accepted 6, reached without help 2, not reached 7; the reports are the sum of what
    # is shown, so that the 2 cannot be worked out as 15 − 6 − 7.
    assert linden == ["5", "0", "5", "10"]


def test_pdf_export_has_the_tables_charts_and_stories(client: Client, world: World) -> None:
    from pypdf import PdfReader

    from buurtkracht.outcomes.stories import story_write

    story_write(
        author=world.personas.worker,
        title="Koffieochtend in de Lindenbuurt",
        text="Twintig buren aan tafel.",
        team=world.personas.worker.team_memberships.get().team,
        neighbourhood=world.area,
    )
    client.force_login(world.personas.policy_advisor)
    page = client.get(reverse(URL))
    response = client.get(reverse(EXPORT, args=["pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"')
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(p.extract_text() for p in reader.pages)
    for table in page.context["report"].tables:
        assert table.title in text
    assert "Bereikte huishoudens per buurt" in text
    assert "Koffieochtend in de Lindenbuurt" in text
    assert "vijftallen" in text
    event = AuditEvent.objects.filter(action=Action.EXPORT).latest("sequence")
    assert event.details["format"] == "pdf"


def test_a_chart_draws_no_bar_for_a_share_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    from buurtkracht.core.pdf import Document
    from buurtkracht.outcomes.report_pdf import bar_chart
    from buurtkracht.outcomes.reports import Shown

    bars: list[float] = []
    original = Document.rect

    def record(self: Document, x: float, y: float, w: float, h: float, **kwargs: Any) -> Any:
        bars.append(w)
        return original(self, x, y, w, h, **kwargs)

    monkeypatch.setattr(Document, "rect", record)
    pdf = Document("test")
    pdf.add_page()
    items = [
        ("not given", Shown("—", "")),
        ("large", Shown("40", 40)),
        ("half", Shown("20", 20)),
        ("none", Shown("0", 0)),
    ]
    bar_chart(pdf, "caption", items)
    assert len(bars) == 2
    assert bars[0] == pytest.approx(2 * bars[1])


def test_two_filtered_reports_do_not_give_a_neighbourhood_away(personas: Personas) -> None:
    """Issue 15, finding 6: one household in Lindenbuurt and 36 in Vogelwijk. The report
    for their district and the report for Vogelwijk alone differ by exactly what the
    district report shows for Lindenbuurt (0: nobody, one or two), never by the 1. With
    the old suppression this was "<5" = 37 − 36."""
    linden = Area.objects.get(name="Lindenbuurt")
    vogel = Area.objects.get(name="Vogelwijk")
    assert linden.parent is not None and linden.parent == vogel.parent
    _intake(_household(linden), Intake.Source.RESIDENT, personas.worker)
    for _ in range(36):
        _intake(_household(vogel), Intake.Source.RESIDENT, personas.worker)
    today = timezone.localdate()
    period = Period(today - dt.timedelta(days=30), today)

    def reached(area: Area) -> dict[str, int]:
        table = outcome_report(period=period, area=area).tables[0]
        assert table.id == "reach" and table.total is not None
        return {row.label: int(row.figures[-1].export) for row in [*table.rows, table.total]}

    district, alone = reached(linden.parent), reached(vogel)
    total = next(label for label in district if label not in ("Lindenbuurt", "Vogelwijk"))
    difference = district[total] - alone[total]
    assert difference == district["Lindenbuurt"] == 0
    assert difference not in range(1, 5)
