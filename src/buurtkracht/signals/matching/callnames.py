"""Dutch call names (roepnamen): the name a person goes by next to the official given
name in the register. Partners often have the call name (`Frans de Vries`, `Ben Mulder`)
where the register has Franciscus or Bernardus.

A small table of the common ones, folded (lowercase, no diacritics). A call name points
at one or more official names; `is_call_name_of` answers both ways round.
"""

from __future__ import annotations

import functools

# Official name -> its usual call names.
_TABLE: dict[str, tuple[str, ...]] = {
    "johannes": ("jan", "hans", "johan", "joop", "jo", "hannes", "john"),
    "johanna": ("jo", "joke", "hanna", "anneke", "hanneke", "jannie", "annie"),
    "cornelis": ("kees", "cor", "niels", "cees"),
    "cornelia": ("cor", "corrie", "nel", "nelleke", "corry"),
    "hendrik": ("henk", "henny", "rik", "harry"),
    "hendrikus": ("henk", "henny", "rik", "harry"),
    "gerrit": ("gert", "gerard"),
    "gerardus": ("gerard", "gert", "ger", "gerrit"),
    "willem": ("wim", "pim", "wil"),
    "wilhelmus": ("wim", "willem", "pim", "wil"),
    "wilhelmina": ("mien", "mina", "willy", "wilma", "ilse"),
    "jacobus": ("jaap", "koos", "co", "sjaak", "jack"),
    "jacoba": ("coby", "co", "jacqueline", "ko"),
    "pieter": ("piet", "peter"),
    "petrus": ("piet", "peter", "peer"),
    "petronella": ("nel", "nelly", "petra", "ella"),
    "antonius": ("toon", "ton", "anton", "teun", "tonny"),
    "theodorus": ("theo", "ted", "dorus", "door"),
    "adrianus": ("adrie", "arie", "aad", "janus", "adri"),
    "adriana": ("adrie", "jannie", "adri", "ria"),
    "franciscus": ("frans", "frank", "cis", "sjef"),
    "bernardus": ("ben", "bernard", "bennie", "benny", "bert"),
    "martinus": ("martin", "tinus", "maarten", "tiny"),
    "philippus": ("flip", "philip", "phil", "lip"),
    "hendrika": ("riek", "rika", "henny", "ina", "riet"),
    "maria": ("mia", "marie", "ria", "mieke", "marja", "mies"),
    "catharina": ("tiny", "toos", "ineke", "rina", "karin", "trien"),
    "elisabeth": ("els", "lies", "betty", "elise", "liesbeth", "bep"),
    "josephus": ("joop", "sjef", "jos", "joseph", "jef"),
    "marinus": ("rinus", "mario", "marijn"),
    "albertus": ("bert", "albert", "ab"),
    "albert": ("bert", "ab"),
    "everardus": ("evert", "eef"),
    "leendert": ("leen", "leo"),
    "dirk": ("dick", "dik"),
    "nicolaas": ("klaas", "niek", "nico"),
    "arnoldus": ("arnold", "noud", "nol"),
    "lambertus": ("bert", "lammert"),
    "aloysius": ("louis", "wies"),
    "engelbertus": ("bert", "engel"),
    "gijsbertus": ("gijs", "bert"),
    "gijsbert": ("gijs", "bert"),
    "michael": ("michel", "mike"),
    "geertruida": ("truus", "geertje", "trudy"),
    "jozef": ("jos", "sjef", "joep"),
    "christiaan": ("chris", "kris"),
    "alexander": ("alex", "sander", "lex"),
    "abraham": ("bram", "braam"),
    "mohammed": ("mo", "momo"),
    "mehmet": ("memet",),
}

_OFFICIAL: dict[str, frozenset[str]] = {}
for _official, _calls in _TABLE.items():
    for _call in _calls:
        _OFFICIAL[_call] = _OFFICIAL.get(_call, frozenset()) | {_official}


@functools.lru_cache(maxsize=10_000)
def is_call_name_of(written: str, official: str) -> bool:
    """`written` (folded) is a usual call name of the folded given name `official`,
    or the other way round (the register holding the call name, the partner the full)."""
    if written == official:
        return False
    return official in _OFFICIAL.get(written, ()) or written in _OFFICIAL.get(official, ())


def call_names_of(official: str) -> tuple[str, ...]:
    """The usual call names of a folded official given name (for the evaluation set)."""
    return _TABLE.get(official, ())
