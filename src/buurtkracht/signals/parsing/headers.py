"""The header row of a signal file: which row it is, whether it repeats, and the messages
for columns that are missing or not recognised (with what they might mean)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from django.utils.translation import gettext as _

from buurtkracht.signals.columns import (
    HEADER_LOOKUP,
    HEADER_SPELLINGS,
    REQUIRED_FIELDS,
    HeaderMatch,
    header_key,
    match_headers,
)


def find_header(rows: list[tuple[int, list[str]]]) -> tuple[int, HeaderMatch] | None:
    """The first row that names the most fields (at least two), as (index, match)."""
    best: tuple[int, HeaderMatch] | None = None
    for index, (_line, texts) in enumerate(rows):
        match = match_headers(texts)
        if len(match.positions) >= max(2, len(best[1].positions) + 1 if best else 0):
            best = (index, match)
    return best


def repeats_header(raw: Mapping[str, str]) -> bool:
    """Files glued together keep the header row of each part."""
    date = raw["signal_date"]
    return (
        date[:1].isalpha()
        and HEADER_LOOKUP.get(header_key(date), ("", 0))[0] == "signal_date"
        and HEADER_LOOKUP.get(header_key(raw["surname"]), ("", 0))[0] == "surname"
    )


def no_header_message() -> str:
    return _(
        "No row with column names was found at the top of the file. The first row should "
        "name the columns, such as: %(examples)s."
    ) % {"examples": ", ".join(HEADER_SPELLINGS[name][0] for name in REQUIRED_FIELDS)}


def unknown_columns_message(unknown: list[str]) -> str:
    described = []
    for column in unknown:
        guesses = [HEADER_SPELLINGS[name][0] for name in suggest_fields(column)]
        if guesses:
            described.append(
                _("“%(column)s” (perhaps: %(guesses)s)")
                % {"column": _short(column), "guesses": " / ".join(guesses)}
            )
        else:
            described.append(_("“%(column)s” (not a known column)") % {"column": _short(column)})
    return _(
        "Nothing has been stored: these columns are not recognised: %(columns)s. Rename "
        "each to one of the accepted column names, or remove it. If the column is not "
        "needed, you may also deliver the file again and choose to leave these columns out."
    ) % {"columns": "; ".join(described)}


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def missing_columns_message(missing: list[str]) -> str:
    described = "; ".join(
        _("%(column)s (accepted names: %(names)s)")
        % {"column": HEADER_SPELLINGS[name][0], "names": ", ".join(HEADER_SPELLINGS[name])}
        for name in missing
    )
    return _(
        "The file has no column for: %(columns)s. Add the column, or give it one of the "
        "accepted names, and upload the file again."
    ) % {"columns": described}


def suggest_fields(text: str) -> list[str]:
    """The fields an unknown column name might stand for, most likely first: a spelling
    it abbreviates ("Bedr. achterst." for "Bedrag achterstand") or closely resembles."""
    key = header_key(text)
    if not key:
        return []
    found: dict[str, float] = {}
    for spelling, (canonical, _rank) in HEADER_LOOKUP.items():
        score = difflib.SequenceMatcher(None, key, spelling).ratio()
        if len(key) >= 3 and (spelling.startswith(key) or _abbreviates(text, spelling)):
            score = max(score, 0.9)
        if score >= 0.75 and score > found.get(canonical, 0.0):
            found[canonical] = score
    return sorted(found, key=lambda name: -found[name])[:3]


def _abbreviates(text: str, spelling_key: str) -> bool:
    """Each word of `text` ("Bedr. achterst.") starts the next part of `spelling_key`."""
    words = [header_key(w) for w in re.split(r"[\s._-]+", text) if header_key(w)]
    rest = spelling_key
    for word in words:
        at = rest.find(word)
        if at < 0 or (word is words[0] and at != 0):
            return False
        rest = rest[at + len(word) :]
    return len(words) >= 2
