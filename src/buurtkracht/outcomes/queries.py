"""Reads for the progress page (Voortgang), in a fixed number of queries whatever the
number of assessments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from buurtkracht.households.models import Household, Person
from buurtkracht.outcomes.charts import LadderChart, SpiderChart, ladder_chart, spider_chart
from buurtkracht.outcomes.models import Assessment, Instrument, InstrumentVersion

# The spider chart shows the latest moment and up to three earlier ones as outlines; more
# would turn the picture into a tangle. The ladder shows the whole path.
MOMENTS_ON_CHART = 4


def active_version(instrument: Instrument) -> InstrumentVersion | None:
    """The version new assessments use (prefetched as `active_versions`)."""
    versions = getattr(instrument, "active_versions", None)
    if versions is None:
        versions = list(instrument.versions.filter(active=True).order_by("-number"))
    return versions[0] if versions else None


def instruments_with_active_version() -> list[Instrument]:
    active = InstrumentVersion.objects.filter(active=True).order_by("-number")
    return list(
        Instrument.objects.prefetch_related(
            Prefetch("versions", queryset=active, to_attr="active_versions")
        ).order_by("pk")
    )


def moment_title(assessment: Assessment) -> str:
    return f"{assessment.held_on:%d-%m-%Y} · {assessment.get_moment_display()}"


@dataclass
class Cell:
    value: int | None
    label: str


@dataclass
class Row:
    label: str
    description: str
    cells: list[Cell]


@dataclass
class View:
    """One perspective (the worker's or the resident's) on one instrument."""

    perspective: str
    assessments: list[Assessment]
    heading: str = ""
    summaries: list[str] = field(default_factory=list)
    chart_id: str = ""
    spider: SpiderChart | None = None
    ladder: LadderChart | None = None
    rows: list[Row] = field(default_factory=list)

    @property
    def first(self) -> Assessment:
        return self.assessments[0]

    @property
    def latest(self) -> Assessment:
        return self.assessments[-1]

    @property
    def on_chart(self) -> list[Assessment]:
        return self.assessments[-MOMENTS_ON_CHART:]

    @property
    def path(self) -> list[tuple[Assessment, Cell]]:
        """The ladder's path in words: each moment with its rung, in date order."""
        if self.ladder is None or not self.rows:
            return []
        return list(zip(self.assessments, self.rows[0].cells, strict=False))

    @property
    def legend(self) -> list[tuple[Assessment, Any]]:
        outlines = self.spider.outlines if self.spider else []
        return list(zip(self.on_chart, outlines, strict=False))


@dataclass
class Subject:
    """The household as a whole, or one person in it."""

    person: Person | None
    views: list[View]


@dataclass
class InstrumentProgress:
    instrument: Instrument
    version: InstrumentVersion | None
    subjects: list[Subject]

    @property
    def is_ladder(self) -> bool:
        version = self.version or (
            self.subjects[0].views[0].latest.instrument_version if self.subjects else None
        )
        return bool(version and len(version.items) == 1)


def _cell(version: InstrumentVersion, scores: dict[str, Any], code: str) -> Cell:
    value = scores.get(code)
    if value is None:
        return Cell(None, "—")
    label = version.scale_label(value)
    # A scale of plain numbers (the resident's own 1-10) has no words to add.
    return Cell(int(value), "" if label == str(value) else label)


def _view(perspective: str, assessments: list[Assessment], for_resident: bool) -> View:
    view = View(
        perspective=perspective,
        assessments=assessments,
        heading=perspective_heading(perspective, for_resident),
    )
    latest = view.latest.instrument_version
    items = list(latest.items)
    if len(items) == 1:
        code = items[0]["code"]
        view.ladder = ladder_chart(
            latest.scale, [(moment_title(a), a.scores.get(code)) for a in assessments]
        )
        shown = assessments
    else:
        shown = view.on_chart
        view.spider = spider_chart(
            items, latest.scale_values(), [(moment_title(a), a.scores) for a in shown]
        )
    rows = [
        Row(
            label=str(item["label"]),
            description=str(item.get("description", "")),
            cells=[_cell(a.instrument_version, a.scores, item["code"]) for a in shown],
        )
        for item in items
    ]
    # Items that never came up stay on the chart's axes but not in the table.
    view.rows = [row for row in rows if any(cell.value is not None for cell in row.cells)]
    # The picture in words, for screen readers (the SVG's <desc>).
    view.summaries = [
        f"{moment_title(a)}: "
        + ", ".join(
            f"{row.label} {cell.value}" + (f" ({cell.label})" if cell.label else "")
            for row in view.rows
            if (cell := row.cells[i]).value is not None
        )
        for i, a in enumerate(shown)
    ]
    return view


def household_progress(
    household: Household, *, for_resident: bool = False
) -> list[InstrumentProgress]:
    """Per instrument, per subject (household or person), the worker's view and the
    resident's own view, each with its picture and its values in text. Two queries."""
    instruments = instruments_with_active_version()
    assessments = (
        Assessment.objects.filter(household=household)
        .select_related("instrument_version", "person")
        .order_by("held_on", "pk")
    )
    grouped: dict[tuple[int, int | None, str], list[Assessment]] = {}
    persons: dict[int | None, Person | None] = {None: None}
    for assessment in assessments:
        key = (
            assessment.instrument_version.instrument_id,
            assessment.person_id,
            assessment.perspective,
        )
        grouped.setdefault(key, []).append(assessment)
        persons[assessment.person_id] = assessment.person
    result = []
    order = [Assessment.Perspective.WORKER, Assessment.Perspective.RESIDENT]
    for instrument in instruments:
        subjects = []
        for person_id, person in persons.items():
            views = [
                _view(p, grouped[(instrument.pk, person_id, p)], for_resident)
                for p in order
                if (instrument.pk, person_id, p) in grouped
            ]
            for view in views:
                view.chart_id = f"{instrument.code}-{person_id or 'household'}-{view.perspective}"
            if views:
                subjects.append(Subject(person=person, views=views))
        result.append(InstrumentProgress(instrument, active_version(instrument), subjects))
    return result


def perspective_heading(perspective: str, for_resident: bool) -> str:
    if for_resident:
        if perspective == Assessment.Perspective.RESIDENT:
            return _("Your own view")
        return _("How your worker sees it")
    return str(Assessment.Perspective(perspective).label).capitalize()
