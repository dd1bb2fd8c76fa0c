"""The picture: geometry, line styles, and everything readable without colour."""

from __future__ import annotations

import math
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from buurtkracht.network.drawing import (
    LINE_STYLES,
    RING_RADII,
    SUPPORT_COLOURS,
    TieState,
    describe,
    legend,
    network_drawing,
)


@pytest.fixture(autouse=True)
def english() -> object:
    with translation.override("en"):
        yield


def tie(key: int, **fields: object) -> TieState:
    values: dict[str, object] = {"name": f"Persoon {key}", "kind": "friend"}
    values.update(fields)
    return TieState(key=key, **values)  # type: ignore[arg-type]


def distance(x: float, y: float, cx: float, cy: float) -> float:
    return math.hypot(x - cx, y - cy)


def test_ties_sit_on_the_circle_of_their_closeness_in_the_sector_of_their_kind() -> None:
    drawing = network_drawing(
        [
            tie(1, kind="family", closeness=1),
            tie(2, kind="neighbour", closeness=2),
            tie(3, kind="peer", closeness=3),
            tie(4, kind="organisation", closeness=2),
        ],
        "Marco Jansen",
    )
    nodes = {node.tie.key: node for node in drawing.nodes}
    c = drawing.cx
    for key, ring in ((1, 1), (2, 2), (3, 3), (4, 2)):
        node = nodes[key]
        assert abs(distance(node.x, node.y, c, c) - RING_RADII[ring]) < 0.5
    # family top-left, friends and neighbours top-right, work and peers bottom-right,
    # help and organisations bottom-left
    assert nodes[1].x < c and nodes[1].y < c
    assert nodes[2].x > c and nodes[2].y < c
    assert nodes[3].x > c and nodes[3].y > c
    assert nodes[4].x < c and nodes[4].y > c
    # everything fits in the picture
    for node in drawing.nodes:
        assert 0 < node.x < drawing.size and 0 < node.label_y < drawing.size


def test_many_ties_in_one_sector_are_spread_and_staggered() -> None:
    drawing = network_drawing([tie(i, kind="family", closeness=2) for i in range(5)], "X")
    positions = {(round(n.x), round(n.y)) for n in drawing.nodes}
    assert len(positions) == 5
    radii = {round(distance(n.x, n.y, drawing.cx, drawing.cy)) for n in drawing.nodes}
    assert len(radii) == 2  # alternately a little in and out


def test_line_style_by_quality_and_a_cross_on_a_broken_tie() -> None:
    drawing = network_drawing(
        [
            tie(1, quality="strong"),
            tie(2, quality="weak"),
            tie(3, quality="strained"),
            tie(4, quality="broken"),
        ],
        "X",
    )
    nodes = {node.tie.quality: node for node in drawing.nodes}
    assert (nodes["strong"].stroke_width, nodes["strong"].dash) == LINE_STYLES["strong"]
    assert nodes["strong"].stroke_width > nodes["weak"].stroke_width
    assert nodes["weak"].dash == ""
    assert nodes["strained"].dash and nodes["broken"].dash
    assert nodes["strained"].dash != nodes["broken"].dash
    assert len(nodes["broken"].cross) == 2
    assert all(not nodes[q].cross for q in ("strong", "weak", "strained"))


def test_colour_and_letter_come_from_the_main_support_and_shape_from_the_kind() -> None:
    drawing = network_drawing(
        [
            tie(1, support=("care", "advice")),
            tie(2, kind="organisation", support=("financial",)),
            tie(3, kind="professional"),
            tie(4, contact="known"),
        ],
        "X",
    )
    nodes = {node.tie.key: node for node in drawing.nodes}
    assert nodes[1].colour == SUPPORT_COLOURS["care"]
    assert nodes[1].letter == "C"
    assert nodes[2].shape == "square" and nodes[2].letter == "M"
    assert nodes[3].shape == "rounded"
    assert nodes[1].shape == "circle"
    assert nodes[1].filled and not nodes[4].filled


def test_every_support_kind_has_its_own_letter_and_colour() -> None:
    entries = legend()["support"]
    assert len({e.letter for e in entries}) == len(entries) == 6
    assert len({e.colour for e in entries}) == 6
    assert len({(e.stroke_width, e.dash, e.cross) for e in legend()["quality"]}) == 4


def test_colours_have_enough_contrast_against_white() -> None:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for colour in SUPPORT_COLOURS.values():
        assert 1.05 / (luminance(colour) + 0.05) >= 3, colour


def test_the_svg_has_a_title_a_description_and_no_style_attribute() -> None:
    ties = [
        tie(1, name="Moeder", kind="family", closeness=1, restored=True),
        tie(2, name="Buurman <b>", kind="neighbour", do_not_contact=True, quality="broken"),
    ]
    drawing = network_drawing(ties, "Marco Jansen")
    svg = render_to_string(
        "network/_map.html",
        {
            "picture": {
                "drawing": drawing,
                "description": describe(ties, "Marco Jansen"),
                "chart_id": "t",
            },
            "person": {"full_name": "Marco Jansen"},
        },
    )
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "style=" not in svg
    assert "<script" not in svg
    assert "Buurman &lt;b&gt;" in svg
    assert svg.count('class="bk-network__node"') == 2
    assert svg.count("bk-network__restored") == 1
    assert svg.count('class="bk-network__do-not-contact"') == 1
    assert svg.count('class="bk-network__cross"') == 2
    assert "2 ties" in describe(ties, "Marco Jansen")


def test_long_names_are_shortened_on_the_picture_only() -> None:
    drawing = network_drawing([tie(1, name="Stichting Welzijn Lindenhoven-Oost")], "X")
    node = drawing.nodes[0]
    assert node.label.endswith("…") and len(node.label) <= 16
    assert node.tie.name == "Stichting Welzijn Lindenhoven-Oost"


def test_numbers_in_the_svg_use_a_decimal_point_in_dutch_too() -> None:
    """Dutch formatting writes 320,0; SVG needs 320.0 or the picture falls apart."""
    ties = [tie(1, quality="weak")]
    with translation.override("nl"):
        svg = render_to_string(
            "network/_map.html",
            {
                "picture": {
                    "drawing": network_drawing(ties, "X"),
                    "description": "",
                    "chart_id": "t",
                },
                "person": {"full_name": "X"},
            },
        )
        legend_html = render_to_string("network/_legend.html", {"legend": legend()})
    assert 'cx="320.0"' in svg
    assert not re.search(r'="-?\d+,\d', svg + legend_html)
