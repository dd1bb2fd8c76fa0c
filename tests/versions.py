"""Two tabs on one record: what a page hands back as the version it was opened at."""

from __future__ import annotations

import html
import re


def opened_at(page: str, prefix: str = "") -> dict[str, str]:
    """The hidden `version` and `seen` fields of a VersionedForm on `page`."""
    found: dict[str, str] = {}
    for name in ("version", "seen"):
        field = f"{prefix}-{name}" if prefix else name
        match = re.search(rf'<input type="hidden" name="{field}" value="([^"]*)"', page)
        assert match is not None, f"no hidden {field} on the page"
        found[field] = html.unescape(match.group(1))
    return found
