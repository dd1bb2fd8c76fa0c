"""No two apps import each other, except the pair the domain needs both ways (issue 14,
docs/decisions/0006-floors.md).

`lint-imports` holds the floors, but apps within one floor (the ground's `core`, `audit`
and `accounts`; the domain row `signals … voting`) may import a sibling, so a pair that
imports both ways would pass it unseen — `core` ↔ `audit` once did. This names every such
pair."""

from __future__ import annotations

import grimp

# The one pair, and why, is in docs/decisions/0006-floors.md.
NAMED_PAIRS = {("casework", "network")}


def _app_imports() -> set[tuple[str, str]]:
    """(importer app, imported app) for every import between two apps. Top-level modules
    such as `buurtkracht.urls`, which join the apps by design, are no app."""
    graph = grimp.build_graph("buurtkracht")
    apps = {m for m in graph.modules if m.count(".") == 1 and graph.find_children(m)}

    def app_of(module: str) -> str | None:
        app = ".".join(module.split(".")[:2])
        return app if app in apps else None

    arrows: set[tuple[str, str]] = set()
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            a, b = app_of(importer), app_of(imported)
            if a and b and a != b:
                arrows.add((a.split(".")[1], b.split(".")[1]))
    return arrows


def test_no_two_apps_import_each_other_but_the_named_pair() -> None:
    arrows = _app_imports()
    pairs = {tuple(sorted((a, b))) for a, b in arrows if (b, a) in arrows}
    assert pairs == NAMED_PAIRS, (
        f"apps importing each other: {sorted(pairs - NAMED_PAIRS)}; move the shared part "
        "down a floor, or name the pair and why in docs/decisions/0006-floors.md"
    )
