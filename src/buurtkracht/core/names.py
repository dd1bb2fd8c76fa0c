"""Comparing Dutch names as people write them: Çelik and Celik, Hoëvenaars and Hoevenaars,
"de Vries" and "Vries, de" are the same name to a person, so they are to the search (the
intake's duplicate check) and to the matching of early signals."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Func

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

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


# --- the same folding inside the database (the search box, households/queries.py) ----

SQLITE_FOLD = "bk_fold"


def _single_letter_folds() -> tuple[str, str]:
    """The letters `fold` turns into one other letter (é -> e, Ç -> c, - -> space), as the
    two equal-length alphabets of SQL's translate(). Two-letter folds (ß -> ss) and
    upper-case letters (lower() comes first) are left out."""
    source, target = [], []
    for code in range(0x20, 0x250):
        char = chr(code)
        if char != char.lower() or not char.isprintable():
            continue
        folded = fold(char) or " "
        if len(folded) == 1 and folded.isascii() and folded != char:
            source.append(char)
            target.append(folded)
    return "".join(source), "".join(target)


_FROM, _TO = _single_letter_folds()


def register_sqlite_fold(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Give a new SQLite connection `bk_fold(text)`: `fold` itself, so that the database
    compares names exactly as the rest of the code does (connected in CoreConfig.ready)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_FOLD, 1, lambda text: None if text is None else fold(text), deterministic=True
        )


class Folded(Func):
    """A text expression folded like `fold`, in the database: on SQLite `fold` itself (a
    registered function), on PostgreSQL lower() and translate() over the accented letters
    and punctuation (spaces are not collapsed, so compare word by word)."""

    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function=SQLITE_FOLD, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"translate(lower({sql}), %s, %s)", (*params, _FROM, _TO)
