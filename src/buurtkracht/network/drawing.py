"""The network map as a picture (ecogram), computed in pure Python; the template
`network/_map.html` only writes out what is computed here.

The resident is in the centre; three circles stand for how close someone is; each tie sits
in the sector of its kind (family, friends and neighbours, work and peers, help and
organisations). The line says how the tie is (thick = strong, thin = weak, dashed =
strained, dotted with a cross = broken). The colour says the main kind of support, and a
letter in the dot says the same, so the picture can be read without colour (WCAG 1.4.1)
and in black-and-white print. Everything is also in the text table beside it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

SIZE = 640
CENTRE = SIZE / 2
RING_RADII = {1: 100.0, 2: 185.0, 3: 265.0}
CENTRE_RADIUS = 40.0
NODE_RADIUS = 15.0
LABEL_LENGTH = 16

# Sectors clockwise from the top-left quadrant, in SVG degrees (0 = right, 90 = down).
SECTORS: tuple[tuple[str, tuple[str, ...], float], ...] = (
    ("family", ("family",), 180.0),
    ("social", ("friend", "neighbour"), 270.0),
    ("work", ("colleague", "peer", "volunteer"), 0.0),
    ("help", ("professional", "organisation", "initiative"), 90.0),
)
SECTOR_SPAN = 90.0
SECTOR_OF_KIND = {kind: name for name, kinds, _start in SECTORS for kind in kinds}

# Colour-blind-safe hues, each at least 3:1 against white (WCAG 1.4.11).
SUPPORT_COLOURS = {
    "practical": "#9a5200",
    "emotional": "#b8285f",
    "financial": "#1b7339",
    "care": "#1f58b5",
    "company": "#6f3aa8",
    "advice": "#00707a",
}
NO_SUPPORT_COLOUR = "#555555"
SUPPORT_ORDER = ("practical", "emotional", "financial", "care", "company", "advice")

# quality -> (stroke width, dash pattern)
LINE_STYLES = {
    "strong": (5.0, ""),
    "weak": (1.5, ""),
    "strained": (3.0, "10 6"),
    "broken": (2.5, "2 6"),
}
ORGANISATION_KINDS = {"organisation", "initiative"}
PROFESSIONAL_KINDS = {"professional"}


def support_letter(code: str) -> str:
    """One letter per kind of support, in the user's language."""
    letters = {
        "practical": pgettext("letter for practical help", "P"),
        "emotional": pgettext("letter for emotional support", "E"),
        "financial": pgettext("letter for money", "M"),
        "care": pgettext("letter for care", "C"),
        "company": pgettext("letter for company", "S"),
        "advice": pgettext("letter for advice", "A"),
    }
    return letters.get(code, "·")


def sector_labels() -> dict[str, str]:
    return {
        "family": _("Family"),
        "social": _("Friends and neighbours"),
        "work": _("Work, volunteering and peers"),
        "help": _("Help and organisations"),
    }


@dataclass(frozen=True)
class TieState:
    """A tie as the picture needs it: from a Tie today or from a saved version."""

    key: int
    name: str
    kind: str
    relation: str = ""
    support: tuple[str, ...] = ()
    closeness: int = 2
    quality: str = "strong"
    energy: str = "neutral"
    contact: str = "contacted"
    restored: bool = False
    do_not_contact: bool = False

    @property
    def main_support(self) -> str:
        return self.support[0] if self.support else ""

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "kind": self.kind,
            "relation": self.relation,
            "support": list(self.support),
            "closeness": self.closeness,
            "quality": self.quality,
            "energy": self.energy,
            "contact": self.contact,
            "restored": self.restored,
            "do_not_contact": self.do_not_contact,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TieState:
        return cls(
            key=int(data["key"]),
            name=str(data.get("name", "")),
            kind=str(data.get("kind", "friend")),
            relation=str(data.get("relation", "")),
            support=tuple(str(s) for s in data.get("support", ())),
            closeness=int(data.get("closeness", 2)),
            quality=str(data.get("quality", "strong")),
            energy=str(data.get("energy", "neutral")),
            contact=str(data.get("contact", "contacted")),
            restored=bool(data.get("restored", False)),
            do_not_contact=bool(data.get("do_not_contact", False)),
        )


@dataclass
class Node:
    tie: TieState
    x: float
    y: float
    line_x: float
    line_y: float
    colour: str
    letter: str
    shape: str  # circle (people), rounded (professionals), square (organisations)
    stroke_width: float
    dash: str
    filled: bool  # contacted: filled; only known: white with a coloured ring
    label: str
    label_y: float
    cross: list[tuple[float, float, float, float]] = field(default_factory=list)
    energy_mark: str = ""

    @property
    def text_colour(self) -> str:
        return "#ffffff" if self.filled else self.colour

    @property
    def fill(self) -> str:
        return self.colour if self.filled else "#ffffff"

    @property
    def square_x(self) -> float:
        return self.x - NODE_RADIUS

    @property
    def square_y(self) -> float:
        return self.y - NODE_RADIUS


@dataclass
class SectorLabel:
    text: str
    x: float
    y: float
    anchor: str


@dataclass
class NetworkDrawing:
    size: int
    cx: float
    cy: float
    centre_radius: float
    node_radius: float
    rings: list[float]
    dividers: list[tuple[float, float]]
    sectors: list[SectorLabel]
    nodes: list[Node]
    centre_label: str
    ring_labels: list[tuple[float, float, str]] = field(default_factory=list)

    @property
    def centre_lines(self) -> list[tuple[float, str]]:
        """The resident's name inside the centre dot, on one or two lines."""
        words = self.centre_label.split(" ", 1)
        if len(words) == 1:
            return [(self.cy + 5, words[0])]
        return [(self.cy - 3, words[0]), (self.cy + 13, _short_centre(words[1]))]

    @property
    def node_size(self) -> float:
        return NODE_RADIUS * 2


def _short(name: str) -> str:
    return name if len(name) <= LABEL_LENGTH else name[: LABEL_LENGTH - 1].rstrip() + "…"


def _short_centre(text: str) -> str:
    return text if len(text) <= 10 else text[:9].rstrip() + "…"


def _polar(radius: float, degrees: float) -> tuple[float, float]:
    angle = math.radians(degrees)
    return CENTRE + radius * math.cos(angle), CENTRE + radius * math.sin(angle)


def _ordered_support(support: Iterable[str]) -> tuple[str, ...]:
    return tuple(s for s in support if s in SUPPORT_COLOURS)


def _energy_mark(energy: str) -> str:
    return {"gives": "+", "costs": "−", "both": "±"}.get(energy, "")


def network_drawing(ties: Iterable[TieState], centre_label: str) -> NetworkDrawing:
    """Place the ties: by sector (kind), then by circle (closeness), spread evenly over the
    sector, neighbours on the same circle alternately a little in and out so that their
    names do not run into each other."""
    groups: dict[tuple[str, int], list[TieState]] = {}
    for tie in sorted(ties, key=lambda t: (t.closeness, t.kind, t.name.lower(), t.key)):
        sector = SECTOR_OF_KIND.get(tie.kind, "help")
        ring = tie.closeness if tie.closeness in RING_RADII else 2
        groups.setdefault((sector, ring), []).append(tie)
    starts = {name: start for name, _kinds, start in SECTORS}
    nodes: list[Node] = []
    for (sector, ring), members in groups.items():
        count = len(members)
        for index, tie in enumerate(members):
            degrees = starts[sector] + SECTOR_SPAN * (index + 0.5) / count
            radius = RING_RADII[ring] + (0 if count < 3 else (-14 if index % 2 else 14))
            x, y = _polar(radius, degrees)
            # The line stops at the edge of the centre and of the dot.
            line_x, line_y = _polar(radius - NODE_RADIUS, degrees)
            width, dash = LINE_STYLES.get(tie.quality, LINE_STYLES["weak"])
            support = _ordered_support(tie.support)
            main = support[0] if support else ""
            cross: list[tuple[float, float, float, float]] = []
            if tie.quality == "broken":
                mx, my = _polar((CENTRE_RADIUS + radius - NODE_RADIUS) / 2, degrees)
                arm = 8.0
                cross = [
                    (mx - arm, my - arm, mx + arm, my + arm),
                    (mx - arm, my + arm, mx + arm, my - arm),
                ]
            if tie.kind in ORGANISATION_KINDS:
                shape = "square"
            elif tie.kind in PROFESSIONAL_KINDS:
                shape = "rounded"
            else:
                shape = "circle"
            nodes.append(
                Node(
                    tie=tie,
                    x=x,
                    y=y,
                    line_x=line_x,
                    line_y=line_y,
                    colour=SUPPORT_COLOURS.get(main, NO_SUPPORT_COLOUR),
                    letter=support_letter(main),
                    shape=shape,
                    stroke_width=width,
                    dash=dash,
                    filled=tie.contact == "contacted",
                    label=_short(tie.name),
                    label_y=y + NODE_RADIUS + 14,
                    cross=cross,
                    energy_mark=_energy_mark(tie.energy),
                )
            )
    labels = sector_labels()
    margin = 14.0
    sectors = [
        SectorLabel(labels["family"], margin, 22, "start"),
        SectorLabel(labels["social"], SIZE - margin, 22, "end"),
        SectorLabel(labels["work"], SIZE - margin, SIZE - 12, "end"),
        SectorLabel(labels["help"], margin, SIZE - 12, "start"),
    ]
    outer = RING_RADII[3] + 30
    dividers = [_polar(outer, degrees) for degrees in (0.0, 90.0, 180.0, 270.0)]
    return NetworkDrawing(
        size=SIZE,
        cx=CENTRE,
        cy=CENTRE,
        centre_radius=CENTRE_RADIUS,
        node_radius=NODE_RADIUS,
        rings=[RING_RADII[1], RING_RADII[2], RING_RADII[3]],
        dividers=dividers,
        sectors=sectors,
        nodes=nodes,
        centre_label=centre_label,
        ring_labels=[
            (CENTRE, CENTRE - RING_RADII[ring] - 6, label)
            for ring, label in (
                (1, _("close")),
                (2, _("in between")),
                (3, _("further away")),
            )
        ],
    )


@dataclass
class LegendEntry:
    label: str
    colour: str = NO_SUPPORT_COLOUR
    letter: str = ""
    stroke_width: float = 0.0
    dash: str = ""
    cross: bool = False
    shape: str = ""


def legend() -> dict[str, list[LegendEntry]]:
    """What the colours, letters, lines and shapes mean: shown under every map."""
    from buurtkracht.network.models import Kind, Quality, Support

    return {
        "support": [
            LegendEntry(str(Support(code).label), SUPPORT_COLOURS[code], support_letter(code))
            for code in SUPPORT_ORDER
        ],
        "quality": [
            LegendEntry(
                str(Quality(code).label),
                stroke_width=LINE_STYLES[code][0],
                dash=LINE_STYLES[code][1],
                cross=code == "broken",
            )
            for code in ("strong", "weak", "strained", "broken")
        ],
        "shape": [
            LegendEntry(_("a person"), shape="circle"),
            LegendEntry(str(Kind.PROFESSIONAL.label), shape="rounded"),
            LegendEntry(_("an organisation or initiative"), shape="square"),
        ],
    }


def describe(ties: list[TieState], centre_label: str) -> str:
    """The picture in one or two sentences, for <desc> and screen readers."""
    counts = {ring: 0 for ring in RING_RADII}
    for tie in ties:
        counts[tie.closeness if tie.closeness in counts else 2] += 1
    return _(
        "%(name)s in the centre, with %(total)s ties: %(close)s close, %(middle)s in "
        "between and %(outer)s further away. The table below the picture lists every tie."
    ) % {
        "name": centre_label,
        "total": len(ties),
        "close": counts[1],
        "middle": counts[2],
        "outer": counts[3],
    }
