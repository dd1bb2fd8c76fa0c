"""Pictures of progress as server-rendered SVG: no JavaScript, printable, and readable
without colour (the latest moment is a solid line, earlier moments faint dashed lines,
and every value is also in text next to the picture).

Only geometry lives here; the templates draw it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

# Dash patterns for earlier moments, oldest last; the latest moment is solid.
EARLIER_DASHES = ("8 5", "3 4", "12 4 3 4")
LATEST_STROKE = "#1f3a93"
EARLIER_STROKE = "#333333"


@dataclass
class Vertex:
    x: float
    y: float


@dataclass
class Axis:
    label: str
    x1: float
    y1: float
    label_x: float
    label_y: float
    anchor: str


@dataclass
class Outline:
    """One moment's polygon on a spider chart, or one path on a ladder."""

    title: str
    points: str
    latest: bool
    dash: str
    stroke: str
    vertices: list[Vertex] = field(default_factory=list)

    @property
    def opacity(self) -> str:
        return "1" if self.latest else "0.6"


@dataclass
class SpiderChart:
    width: int
    height: int
    rings: list[str]
    axes: list[Axis]
    outlines: list[Outline]
    cx: float
    cy: float


WIDTH, HEIGHT = 560, 380
CX, CY, RADIUS = 280.0, 190.0, 125.0


def _point(index: int, count: int, radius: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return CX + radius * math.cos(angle), CY + radius * math.sin(angle)


def _points(pairs: list[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in pairs)


def dash_for(age: int) -> str:
    """The line style of a moment: 0 is the latest (solid), 1 the one before, …"""
    return "" if age == 0 else EARLIER_DASHES[(age - 1) % len(EARLIER_DASHES)]


def spider_chart(
    items: list[dict[str, Any]], scale: list[int], moments: list[tuple[str, dict[str, Any]]]
) -> SpiderChart:
    """`moments`: (title, scores) oldest first. A value's distance from the centre is its
    place on the scale, so the lowest level is a small ring rather than the centre point.
    Only the items scored at one of the moments get an axis: a domain that never came up
    is not drawn as if it were at the bottom (the table says it was not filled in)."""
    scored = [
        item
        for item in items
        if any(isinstance(scores.get(item["code"]), int) for _title, scores in moments)
    ]
    if len(scored) >= 3:
        items = scored
    count = max(len(items), 3)
    steps = {value: index + 1 for index, value in enumerate(sorted(scale))}
    levels = len(steps) or 1
    rings = [
        _points([_point(i, count, RADIUS * level / levels) for i in range(count)])
        for level in range(1, levels + 1)
    ]
    axes = []
    for index, item in enumerate(items):
        x1, y1 = _point(index, count, RADIUS)
        lx, ly = _point(index, count, RADIUS + 12)
        dx = lx - CX
        anchor = "middle" if abs(dx) < 8 else ("start" if dx > 0 else "end")
        axes.append(Axis(str(item["label"]), x1, y1, lx, ly + 4, anchor))
    outlines = []
    last = len(moments) - 1
    for position, (title, scores) in enumerate(moments):
        age = last - position
        pairs = []
        for index, item in enumerate(items):
            value = scores.get(item["code"])
            step = steps.get(value, 0) if isinstance(value, int) else 0
            pairs.append(_point(index, count, RADIUS * step / levels))
        outlines.append(
            Outline(
                title=title,
                points=_points(pairs),
                latest=age == 0,
                dash=dash_for(age),
                stroke=LATEST_STROKE if age == 0 else EARLIER_STROKE,
                vertices=[Vertex(x, y) for x, y in pairs] if age == 0 else [],
            )
        )
    return SpiderChart(WIDTH, HEIGHT, rings, axes, outlines, CX, CY)


@dataclass
class Rung:
    value: int
    label: str
    y: float
    label_y: float


@dataclass
class LadderChart:
    width: int
    height: int
    rungs: list[Rung]
    path: str
    points: list[tuple[float, float, str]]
    left: float
    right: float


LADDER_WIDTH, LADDER_TOP, LADDER_BOTTOM = 560, 20.0, 290.0
LADDER_LEFT, LADDER_RIGHT = 250.0, 540.0


def ladder_chart(scale: list[dict[str, Any]], path: list[tuple[str, int | None]]) -> LadderChart:
    """The ladder as steps, lowest rung at the bottom, and the path taken through it:
    `path` is (title, rung) in date order; each becomes a point on its rung, joined by
    steps (across, then up or down)."""
    values = sorted(int(level["value"]) for level in scale)
    labels = {int(level["value"]): str(level["label"]) for level in scale}
    pitch = (LADDER_BOTTOM - LADDER_TOP) / max(len(values), 1)
    y_of = {value: LADDER_BOTTOM - (i + 0.5) * pitch for i, value in enumerate(values)}
    rungs = [Rung(v, labels[v], y_of[v], y_of[v] + 4) for v in values]
    taken = [(title, value) for title, value in path if value in y_of]
    gap = (LADDER_RIGHT - LADDER_LEFT - 20) / max(len(taken) - 1, 1)
    points = [
        (LADDER_LEFT + 10 + i * gap, y_of[value], title)
        for i, (title, value) in enumerate(taken)
        if value is not None
    ]
    segments = []
    for i, (x, y, _) in enumerate(points):
        if i == 0:
            segments.append(f"M{x:.1f},{y:.1f}")
        else:
            segments.append(f"H{x:.1f} V{y:.1f}")
    return LadderChart(
        LADDER_WIDTH,
        int(LADDER_BOTTOM + 10),
        rungs,
        " ".join(segments),
        points,
        LADDER_LEFT,
        LADDER_RIGHT,
    )
