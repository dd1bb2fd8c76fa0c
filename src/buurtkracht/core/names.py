"""Comparing Dutch names as people write them: Çelik and Celik, Hoëvenaars and Hoevenaars,
"de Vries" and "Vries, de" are the same name to a person, so they are to the search (the
intake's duplicate check) and to the matching of early signals."""

from __future__ import annotations

import unicodedata

# Letters that NFKD does not take apart into a base letter and a mark.
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "ı": "i",
        "İ": "i",
        "ł": "l",
        "Ł": "l",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
    }
)


def fold(text: str) -> str:
    """Lower case, without diacritics or punctuation, single spaces: `Çelik` -> `celik`,
    `'t Hart` -> `t hart`, `Jansen-de Vries` -> `jansen de vries`."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    chars = [c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c)]
    return " ".join("".join(chars).lower().split())


def name_tokens(text: str) -> set[str]:
    """The words of a name as written, folded; initials and prefixes included."""
    return set(fold(text).split())
