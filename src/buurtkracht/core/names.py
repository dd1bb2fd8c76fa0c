"""Comparing Dutch names as people write them: Çelik and Celik, Hoëvenaars and Hoevenaars,
"de Vries" and "Vries, de" are the same name to a person, so they are to the search."""

from __future__ import annotations

import unicodedata

# Letters that NFKD does not take apart into a base letter and a mark.
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "ı": "i",
        "ł": "l",
        "Ł": "l",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "Đ": "d",
    }
)


def fold(text: str) -> str:
    """Lower case, without diacritics or punctuation, single spaces."""
    text = text.translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    letters = [c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c)]
    return " ".join("".join(letters).lower().split())


def name_tokens(text: str) -> set[str]:
    """The words of a name as written, folded; initials and prefixes included."""
    return set(fold(text).split())
