"""Keys of names and addresses: folding, prefixes, initials, business names, decision keys."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Protocol

from buurtkracht.core.names import fold

# Input ------------------------------------------------------------------------------------


class SignalFacts(Protocol):
    """What matching needs of a signal; the import's CleanSignal has these fields.

    `postcode` is compact ("1234AB"); `house_letter` and `addition` may come in any case
    and with separators ("-a"), and may be swapped: they are compared as one suffix.
    """

    @property
    def surname_prefix(self) -> str: ...
    @property
    def surname(self) -> str: ...
    @property
    def initials(self) -> str: ...
    @property
    def given_names(self) -> str: ...
    @property
    def date_of_birth(self) -> dt.date | None: ...
    @property
    def postcode(self) -> str: ...
    @property
    def house_number(self) -> int: ...
    @property
    def house_letter(self) -> str: ...
    @property
    def addition(self) -> str: ...


@dataclass(frozen=True, slots=True)
class SignalInput:
    """A plain SignalFacts, for tests and callers without a signal object of their own."""

    surname: str
    postcode: str
    house_number: int
    surname_prefix: str = ""
    initials: str = ""
    given_names: str = ""
    date_of_birth: dt.date | None = None
    house_letter: str = ""
    addition: str = ""


# Dates of birth that are no date of birth: what a partner's system writes when it does
# not know one (01-01-1900), and days no adult resident can have been born on.
PLACEHOLDER_BIRTH_DATES = frozenset(
    {dt.date(1900, 1, 1), dt.date(1901, 1, 1), dt.date(1800, 1, 1), dt.date(1, 1, 1)}
)
EARLIEST_BIRTH_YEAR = 1900


def usable_date_of_birth(day: dt.date | None) -> dt.date | None:
    """The date of birth, or None when it is a placeholder or an impossible one: matching
    then does without it rather than count it against the right person."""
    if day is None or day in PLACEHOLDER_BIRTH_DATES or day.year < EARLIEST_BIRTH_YEAR:
        return None
    return day


# Normalisation ----------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    """Word lists below are space-separated text, so that one line holds many words."""
    return frozenset(text.split())


# Surname prefixes (tussenvoegsels) as folded words, with their abbreviations (v., v.d.,
# vd) and the foreign ones Dutch registers store the same way (von, da, dos, le, ...).
# "El", "Al", "Ben" and "Tjon A" are not here: they are part of the surname.
PREFIX_WORDS = _words(
    "van de der den het t te ter ten in op uit aan bij onder over voor v vd vdr vdn "
    "d l s la le les du da das dos do di del della von vom zu zum zur"
)

_PHONETIC_STEPS = (
    ("ij", "i"),
    ("y", "i"),
    ("ph", "f"),
    ("ck", "k"),
    ("c", "k"),
    ("th", "t"),
    ("dt", "t"),
    ("ae", "a"),
    ("oe", "o"),
    ("ue", "u"),
)
_DOUBLED = re.compile(r"(.)\1+")


@functools.lru_cache(maxsize=100_000)
def _surname_tokens(text: str) -> tuple[str, ...]:
    """The folded words of a surname without prefix words (all of them if only prefixes)."""
    words = fold(text).split()
    kept = tuple(word for word in words if word not in PREFIX_WORDS)
    return kept or tuple(words)


def surname_key(prefix: str, surname: str) -> str:
    """One key for every way of writing a surname: `de Vries`, `Vries, de`, `DE VRIES`,
    `Vries` -> `vries`; `v.d. Berg` -> `berg`; `Jansen-de Vries` -> `jansenvries`."""
    return "".join(_surname_tokens(f"{prefix} {surname}"))


@functools.lru_cache(maxsize=100_000)
def phonetic_key(key: str) -> str:
    """Merge spellings that registers mix up: ij/y/i (Bijl, Byl), ph/f, c/k, th/t, dt/t,
    ae/oe/ue for umlauts (Mueller, Muller), and doubled letters (Janssen, Jansen)."""
    for old, new in _PHONETIC_STEPS:
        key = key.replace(old, new)
    return _DOUBLED.sub(r"\1", key)


@functools.lru_cache(maxsize=100_000)
def _initial_letters(initials: str) -> tuple[str, ...]:
    """`J.Th.` -> ('j', 't'); `IJ.` -> ('i',); `jh`, `J H` -> ('j', 'h')."""
    raw = initials.strip()
    if not raw:
        return ()
    if "." in raw:
        parts = [part.strip() for part in raw.split(".")]
    elif " " in raw:
        parts = raw.split()
    else:
        parts = list(raw)
    letters = []
    for part in parts:
        folded = fold(part)
        if folded:
            letters.append(folded[0])
    return tuple(letters)


@functools.lru_cache(maxsize=100_000)
def _given_tokens(given_names: str) -> tuple[str, ...]:
    return tuple(fold(given_names).split())


def house_key(number: int | str, letter: str = "", addition: str = "") -> str:
    """`12A`, `12-a`, `12 a`, (12, "a", ""), (12, "", "A") -> `12|A`; 12-1 -> `12|1`.

    The bar keeps 12-1 apart from 121. `number` may be the raw number field ("12-a").
    """
    digits, suffix = _split_house_number(number)
    return f"{digits}|{_suffix(suffix + letter + addition)}"


@functools.lru_cache(maxsize=10_000)
def _suffix(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", fold(text).upper())


def _split_house_number(number: int | str) -> tuple[int, str]:
    if isinstance(number, int):
        return number, ""
    match = re.match(r"\s*(\d+)(.*)$", str(number))
    if match is None:
        return 0, str(number)
    return int(match.group(1)), match.group(2)


def _compact_postcode(postcode: str) -> str:
    return postcode.replace(" ", "").upper()


# The name in a signal ---------------------------------------------------------------------

# Legal entities are companies, not people: never matched to a resident.
_LEGAL_ENTITY = re.compile(
    r"(?:^|[\s,(])(?:b\.?\s?v\.?|n\.?\s?v\.?|stichting|vereniging|co[oö]peratie|holding|"
    r"gmbh|ltd\.?|inc\.?)(?=$|[\s,.)])",
    re.IGNORECASE,
)
# "handelend onder de naam": the person before it trades under the name after it.
_HODN = re.compile(
    r"(?:^|\s)(?:t\.?\s?)?h\.?\s?o\.?\s?d\.?\s?n\.?(?=$|\s)|\bhandelende? onder de naam\b",
    re.IGNORECASE,
)
# Partnerships of natural persons (vennootschap onder firma, commanditaire vennootschap):
# the partners are liable in person, so the name still points at a resident.
_PARTNERSHIP = re.compile(r"(?:^|\s)(?:v\.?\s?o\.?\s?f\.?|c\.?\s?v\.?)(?=$|[\s,])", re.IGNORECASE)
# J. / J.H. / Th. / IJ. in a name field, as core.validators writes initials. Lowercase
# v. and v.d. are prefixes; Mr. and Dr. are titles.
_INITIALS_TOKEN = re.compile(r"^(?:(?:[A-Z]|Th|Ch|Ph|IJ)\.)+$")
# A name of letters, spaces, hyphens and apostrophes only: the common case, parsed fast.
# "hodn" without dots is left to the full parser.
_PLAIN_NAME = re.compile(r"(?!.*\bhodn\b)[^\W\d_]+(?:[ '’-]+[^\W\d_]+)*", re.IGNORECASE)
_LEGAL_WORDS = _words("bv nv stichting vereniging cooperatie holding gmbh ltd inc")
# Forms of address and titles that partners put before a name: "Dhr. J. de Vries",
# "Mevr. A. Jansen", "Mr. dr. K. Bakker", "Fam. Yılmaz".
_TITLE_WORDS = _words("dhr hr mevr mw mevrouw mr dr drs ir ing prof fam familie wed wwe")
# Words that mark a one-person business (eenmanszaak) or its trade.
_BUSINESS_WORDS = _words(
    "eenmanszaak vof cv kapsalon kapperszaak taxi taxibedrijf catering fotografie "
    "webdesign klussen klus klusbedrijf schoonmaak schoonmaakbedrijf consultancy "
    "koeriersdienst handelsonderneming onderneming firma fa zonen trading services "
    "webshop nagelstudio schoonheidssalon"
)
_BUSINESS_SUFFIXES = (
    "bedrijf",
    "bedrijven",
    "handel",
    "dienst",
    "diensten",
    "salon",
    "studio",
    "techniek",
    "kantoor",
    "winkel",
    "zaak",
    "bureau",
    "centrum",
    "praktijk",
    "atelier",
    "verhuur",
    "onderneming",
)
# Filler words of business names, dropped only once a name is known to be a business:
# "en", "zn" in "Jansen en Zn", trades that are also surnames are left alone.
_BUSINESS_FILLERS = _words(
    "en zn co the and company advies design media studio service bouw transport onderhoud "
    "installatie installaties import export shop store salon praktijk atelier"
)


@functools.lru_cache(maxsize=100_000)
def _is_business_word(word: str) -> bool:
    if word in _BUSINESS_WORDS:
        return True
    return any(word.endswith(s) and len(word) > len(s) + 2 for s in _BUSINESS_SUFFIXES)


@dataclass(frozen=True, slots=True)
class _SignalName:
    tokens: tuple[str, ...]  # surname words, folded, prefixes dropped
    key: str
    phonetic: str
    initials: tuple[str, ...]
    first_name: str  # folded first given name, "" when not known
    # The given names as one key without prefix words, for a surname typed into the
    # given names field ("Jansen" as first name, "Jan" as surname).
    given_key: str
    # Initials the partner wrote as initials (not derived from the given names).
    written_initials: bool
    business: bool
    company: bool


def _parse_name(prefix: str, surname: str, initials: str, given_names: str) -> _SignalName:
    """Take a partner's name fields apart into surname words, initials and first name.

    Handles "Vries, de J.", initials typed into the surname field, "J. de Vries h.o.d.n.
    Klusbedrijf De Vries", "Schildersbedrijf J. de Vries", and legal entities.
    """
    raw = surname.strip()
    if _PLAIN_NAME.fullmatch(raw) and not prefix.strip(" abcdefghijklmnopqrstuvwxyz'"):
        # Letters, spaces and hyphens only (most names): no initials, no abbreviations.
        words = fold(raw).split()
        tokens = [w for w in words if w not in PREFIX_WORDS and w not in _TITLE_WORDS]
        company = any(w in _LEGAL_WORDS for w in words)
        business = any(_is_business_word(t) for t in tokens)
        if business:
            tokens = [t for t in tokens if not _is_business_word(t) and t not in _BUSINESS_FILLERS]
        if not tokens:
            tokens = list(_surname_tokens(raw))
        return _signal_name_of(tokens, initials, "", given_names, "", business, company)
    company = bool(_LEGAL_ENTITY.search(raw) or _LEGAL_ENTITY.search(prefix))
    business = False
    hodn = _HODN.search(raw)
    if hodn is not None:
        business = True
        before, after = raw[: hodn.start()], raw[hodn.end() :]
        raw = before if before.strip() else after
    if _PARTNERSHIP.search(raw):
        business = True
        raw = _PARTNERSHIP.sub(" ", raw)
    extra_given = ""
    if "," in raw:
        # "Vries, de" / "Vries, J.H. de" / "Vries, Jan de": what follows the comma.
        raw, rest = raw.split(",", 1)
        kept_rest = []
        for word in rest.split():
            if _INITIALS_TOKEN.match(word):
                initials = initials or word
            elif fold(word) not in PREFIX_WORDS:
                kept_rest.append(word)
        extra_given = " ".join(kept_rest)
        raw = f"{raw} {rest}"
    found_initials = ""
    words = []
    for word in raw.split():
        if fold(word) in _TITLE_WORDS:
            continue
        if _INITIALS_TOKEN.match(word):
            found_initials += word
        else:
            words.append(word)
    tokens = [t for t in fold(" ".join(words)).split() if t not in PREFIX_WORDS]
    if extra_given:
        given_words = set(fold(extra_given).split())
        tokens = [t for t in tokens if t not in given_words]
    if any(_is_business_word(t) for t in tokens):
        business = True
    if business:
        tokens = [t for t in tokens if not _is_business_word(t) and t not in _BUSINESS_FILLERS]
    if not tokens:
        tokens = list(_surname_tokens(f"{prefix} {' '.join(words)}"))
    return _signal_name_of(
        tokens, initials, found_initials, given_names, extra_given, business, company
    )


def _signal_name_of(
    tokens: list[str],
    initials: str,
    found_initials: str,
    given_names: str,
    extra_given: str,
    business: bool,
    company: bool,
) -> _SignalName:
    key = "".join(tokens)
    given = _given_tokens(given_names or extra_given)
    letters = _initial_letters(initials) or _initial_letters(found_initials)
    written_initials = bool(letters)
    if not letters and given:
        letters = tuple(name[0] for name in given)
    return _SignalName(
        tokens=tuple(tokens),
        key=key,
        phonetic=phonetic_key(key),
        initials=letters,
        first_name=given[0] if given else "",
        given_key="".join(t for t in given if t not in PREFIX_WORDS),
        written_initials=written_initials,
        business=business,
        company=company,
    )


def name_key(signal: SignalFacts) -> str:
    """The partner's name, normalised: surname key and initials (`vries|jh`)."""
    return _name_key(_signal_name(signal))


def _signal_name(signal: SignalFacts) -> _SignalName:
    return _parse_name(signal.surname_prefix, signal.surname, signal.initials, signal.given_names)


def _name_key(name: _SignalName) -> str:
    kind = "company:" if name.company else ""
    return f"{kind}{name.key}|{''.join(name.initials)}"


DecisionKey = tuple[int | None, str, str, str]


def decision_key(*, organisation_id: int | None, signal: SignalFacts) -> DecisionKey:
    """The key a signal officer's decision is remembered under: the partner, the partner's
    normalised name, postcode and house key. The next signal from the same partner about
    the same name at the same address gets the same key, whatever its spelling quirks
    that folding removes; the date of birth is left out, as partners send it one month
    and not the next."""
    return _decision_key(organisation_id, signal, _signal_name(signal))


def _decision_key(
    organisation_id: int | None, signal: SignalFacts, name: _SignalName
) -> DecisionKey:
    number, suffix = _split_house_number(signal.house_number)
    return (
        organisation_id,
        _name_key(name),
        _compact_postcode(signal.postcode),
        house_key(number, suffix + signal.house_letter, signal.addition),
    )


# Candidates -------------------------------------------------------------------------------
