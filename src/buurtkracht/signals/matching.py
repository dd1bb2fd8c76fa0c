"""Matching early signals of payment arrears (vroegsignalering) to residents and addresses.

A partner (housing corporation, energy supplier, water company, health insurer) reports
a resident with arrears by name and address. The name is written as the partner's
system has it, which is rarely how the municipality's register has it: "DE VRIES" or
"Vries, de" for "de Vries", "Celik" for "Çelik", "Janssen" for "Jansen", only initials,
a typing error, the birth name of a woman who uses her husband's name, "12-a" for 12A,
or a contract in the name of a one-person business ("Schildersbedrijf J. de Vries").
This module finds the resident the signal is about, says how sure it is and why, and
leaves the doubtful cases to the signal officer (signaalregisseur).

Pure Python apart from `load_candidates`, which reads the register in a fixed number of
queries per batch. The import service (signals.services) calls `match_signals`, or
`load_candidates_for` + `match_signal` when it batches itself, and stores the results.

How a signal is matched
-----------------------
1. **Address.** Only the adults living at the signal's postcode and house number are
   candidates (current households, current memberships). The house letter and addition
   are compared as one folded suffix (`house_key`: 12A, 12-a, 12 a and letter "a" are
   all `12|A`). Residents behind another letter or addition of the same number (12 and
   12A, flats 12-1 … 12-8) are candidates, with a penalty, only when the signal's own
   letter or addition is no address there (a signal for 12 at a block of flats 12-1 …
   12-8). A signal for somebody who
   moved is not searched for elsewhere in town: the partner's address is the address
   the arrears are at, and that is where the neighbourhood team goes.
2. **Name keys.** `fold` lowercases and strips diacritics (Çelik → celik, Yılmaz →
   yilmaz, Hoëvenaars → hoevenaars, ß → ss). `surname_key` drops every surname prefix
   word (tussenvoegsel), wherever it stands, so "de Vries", "Vries, de", "DE VRIES",
   "Vries" and a prefix typed into the surname field all give `vries`; "v.d. Berg",
   "vd Berg" and "van der Berg" give `berg`. `phonetic_key` then merges spellings that
   Dutch registers mix up (ij/y/i, ph/f, c/k, ae/oe/ue, doubled letters so ss/s).
   Business words of one-person businesses ("Schildersbedrijf", "Kapsalon",
   "Eenmanszaak", "V.O.F.", "h.o.d.n. …") are stripped; a legal entity (B.V., N.V.,
   stichting, vereniging, holding) is a company, never a person: it is not matched.
3. **Evidence per candidate**, added up to a score (`confidence`, 0–100):

   ===============================================  ===========
   surname equal after folding                       +50
   equal to the birth surname / spelled differently  +45
   surname found in a one-person business name       +45
   part of a double surname (Jansen-de Vries)        +35
   one letter off (Koch/Koh; not Bos/Vos)            +35
   two letters off (names of 7 letters or more)      +20
   surname of a housemate (the partner's name)       +30
   same first name / all initials equal              +25 / +20
   initials fit (J. for J.H.) / first initial fits   +15 / +10
   initial matches a later given name                −10
   different first name / different initials        −25 / −35
   same date of birth / day and month swapped        +35 / +25
   date of birth one part off (day, month or year)   −10
   different date of birth                           −45
   house letter or addition missing / different      −10 / −20
   the only adult here who fits the name             +20
   ===============================================  ===========

4. **Status.** `automatic` from 85 points, when no other resident scores within 15
   points; `review` from 30 points; `none` below. In words: automatic needs the surname
   (or a near-certain variant of it) *and* the date of birth, or the surname with fitting
   initials when nobody else at the address fits the name. A typing error in the surname
   is automatic only with fitting initials and the same date of birth; a typing error in
   the date of birth, a business name without initials or a surname alone is review.
   Children are no candidates (a minor cannot hold the contract).

   The points and thresholds were set by reasoning about which evidence may stand
   alone, then checked on the synthetic evaluation set (demo.signal_eval,
   benchmarks/signal_matching_quality.py) against the bar of 99% precision of
   automatic matches and 95% recall of automatic plus review. That set is easier
   than real partner files (see its docstring): keep the margin, do not lower the
   thresholds because the synthetic figures allow it.
5. **No person.** When the address is known but nobody fits the name (a new tenant, a
   company, a name too different to propose), the status is `none` with `address_id`,
   `neighbourhood_id` and, when exactly one household lives at the address,
   `household_id`: the signal can still be routed to the neighbourhood team by address.
   It is not put on the review list, which stays for "which of these people is it?".
   An address not in the register gives `none` with at most the neighbourhood of the
   postcode.

Remembered decisions
--------------------
What the signal officer decides is stored by the import service under
`decision_key(organisation_id=…, signal=…)`: (partner organisation id, the partner's
normalised name key, postcode, house key) → person id, or None for "no match". Pass
those as `remembered`; a decision for the signal's key wins: status automatic with the
reason "decided earlier by the signal officer", or none for "no match". When the
remembered person no longer lives at the address the decision still stands (arrears
on the old contract are still theirs), with `household_id` None and a reason saying
so, for the import to route by the person's current household.

Reasons are English msgids marked with `gettext_noop`: store them as they are and
translate at display time with `gettext(reason)` (`MatchResult.reason_texts`).

Cost: `load_candidates_for` is two queries per batch (addresses of the batch's
postcodes; adults at the batch's house numbers) and the scoring is plain Python over a
few candidates per signal, with the folded keys of names cached (`functools.lru_cache`),
so a batch of 5,000 signals takes well under a second.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from buurtkracht.core.models import Address
from buurtkracht.core.names import fold
from buurtkracht.households.models import Membership

__all__ = [
    "AUTOMATIC_FROM",
    "REVIEW_FROM",
    "CandidateIndex",
    "MatchResult",
    "MatchStatus",
    "SignalFacts",
    "SignalInput",
    "decision_key",
    "fold",
    "house_key",
    "load_candidates",
    "load_candidates_for",
    "match_signal",
    "match_signals",
    "name_key",
    "phonetic_key",
    "surname_key",
]

# Thresholds on the score (see the module docstring).
AUTOMATIC_FROM = 85
REVIEW_FROM = 30
# A runner-up this close to the best candidate makes the match a question for a person.
AMBIGUITY_MARGIN = 15
# Contract holders are adults: a minor cannot sign a rental, energy or insurance contract.
ADULT_AGE = 18
# Rows per `IN (...)` list: far below SQLite's and PostgreSQL's limits, and above the
# import's batch size, so that one batch costs exactly two queries.
_IN_CHUNK = 30_000


class MatchStatus(enum.StrEnum):
    AUTOMATIC = "automatic"  # linked without a person looking at it
    REVIEW = "review"  # on the signal officer's review list
    NONE = "none"  # no person; possibly still an address to route by


# Reasons: English msgids, translated when shown (gettext at display time).
R_SAME_SURNAME = gettext_noop("same surname")
R_BIRTH_SURNAME = gettext_noop("surname matches birth surname")
R_SPELLING = gettext_noop("same surname, spelled differently")
R_BUSINESS_NAME = gettext_noop("surname found in the business name")
R_PART = gettext_noop("surname matches part of the name")
R_ONE_LETTER = gettext_noop("surname differs by one letter")
R_TWO_LETTERS = gettext_noop("surname differs by two letters")
R_HOUSEMATE_SURNAME = gettext_noop("surname of a housemate (partner's name)")
R_SAME_FIRST_NAME = gettext_noop("same first name")
R_FIRST_NAME_SPELLING = gettext_noop("first name spelled differently")
R_FIRST_NAME_LATER = gettext_noop("first name is one of the given names")
R_DIFFERENT_FIRST_NAME = gettext_noop("different first name")
R_SAME_INITIALS = gettext_noop("same initials")
R_INITIALS_FIT = gettext_noop("initials fit")
R_FIRST_INITIAL = gettext_noop("first initial fits")
R_INITIAL_LATER = gettext_noop("initial matches a later given name")
R_DIFFERENT_INITIALS = gettext_noop("different initials")
R_SAME_DOB = gettext_noop("same date of birth")
R_DOB_SWAPPED = gettext_noop("date of birth with day and month swapped")
R_DIFFERENT_DOB = gettext_noop("different date of birth")
R_DOB_NEARLY = gettext_noop("date of birth differs in the day, month or year only")
R_SAME_ADDRESS = gettext_noop("same address")
R_SUFFIX_MISSING = gettext_noop("house letter or addition missing")
R_SUFFIX_DIFFERS = gettext_noop("different house letter or addition")
R_UNIQUE = gettext_noop("the only resident here with this name")
R_AMBIGUOUS = gettext_noop("another resident fits almost as well")
R_ONE_PERSON_BUSINESS = gettext_noop("contract in the name of a one-person business")
R_COMPANY = gettext_noop("contract in the name of a company, not a person")
R_ADDRESS_UNKNOWN = gettext_noop("address not in the register")
R_NOBODY_FITS = gettext_noop("address known, no resident with this name")
R_DECIDED = gettext_noop("decided earlier by the signal officer")
R_DECIDED_NO_MATCH = gettext_noop("decided earlier by the signal officer: no match")
R_DECISION_MOVED = gettext_noop("the person decided on earlier no longer lives at this address")


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


@dataclass(frozen=True, slots=True)
class PersonKeys:
    """A resident's name, folded for comparison."""

    initials: tuple[str, ...]
    given: tuple[str, ...]
    tokens: tuple[str, ...]
    key: str
    phonetic: str
    birth_tokens: tuple[str, ...]
    birth_key: str
    birth_phonetic: str


@dataclass(slots=True)
class Candidate:
    """An adult living at an address of the batch, as the register has them.

    The name keys are made when the candidate is first scored, not when it is loaded:
    the other addresses of a house number are scored only when nobody at the signal's
    own address fits.
    """

    person_id: int
    household_id: int
    address_id: int
    suffix: str
    initials: str
    given_names: str
    surname_prefix: str
    surname: str
    birth_surname_prefix: str
    birth_surname: str
    date_of_birth: dt.date | None
    # The adults of the candidate's household, the candidate included (shared list).
    household: list[Candidate] = field(default_factory=list, repr=False)
    _keys: PersonKeys | None = field(default=None, repr=False)

    @property
    def keys(self) -> PersonKeys:
        if self._keys is None:
            given = _given_tokens(self.given_names)
            tokens = _surname_tokens(f"{self.surname_prefix} {self.surname}")
            key = "".join(tokens)
            birth_tokens = (
                _surname_tokens(f"{self.birth_surname_prefix} {self.birth_surname}")
                if self.birth_surname
                else ()
            )
            birth_key = "".join(birth_tokens)
            self._keys = PersonKeys(
                initials=_initial_letters(self.initials) or tuple(name[0] for name in given),
                given=given,
                tokens=tokens,
                key=key,
                phonetic=phonetic_key(key),
                birth_tokens=birth_tokens,
                birth_key=birth_key,
                birth_phonetic=phonetic_key(birth_key) if birth_key else "",
            )
        return self._keys

    def housemate_keys(self) -> set[str]:
        """Surname keys of the other adults in the household (a partner's name)."""
        return {
            key
            for other in self.household
            if other is not self
            for key in (other.keys.key, other.keys.birth_key)
            if key
        }


@dataclass(slots=True)
class AddressEntry:
    address_id: int
    suffix: str
    neighbourhood_id: int | None
    household_ids: set[int] = field(default_factory=set)


@dataclass(slots=True)
class Site:
    """Everything at one postcode and house number: 12, 12A, 12-1 … and their residents."""

    addresses: list[AddressEntry] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)


class CandidateIndex:
    """Addresses and residents of a batch, keyed by (postcode, house number)."""

    def __init__(self, on: dt.date) -> None:
        self.on = on
        self.sites: dict[tuple[str, int], Site] = {}
        self.postcode_neighbourhood: dict[str, int | None] = {}

    def site(self, postcode: str, house_number: int) -> Site | None:
        return self.sites.get((postcode, house_number))

    def __len__(self) -> int:
        return sum(len(site.candidates) for site in self.sites.values())


def _chunks(values: Sequence[object], size: int = _IN_CHUNK) -> Iterable[Sequence[object]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def load_candidates(
    postcodes: Iterable[str],
    *,
    addresses: Iterable[tuple[str, int]] | None = None,
    on: dt.date | None = None,
) -> CandidateIndex:
    """Load the addresses and current adult residents of `postcodes` in two queries.

    With `addresses` ((postcode, house number) pairs), only residents at those numbers
    are loaded, which for a batch of signals is a few rows per signal instead of every
    resident of every postcode. Two queries per 30,000 postcodes (or addresses), so a
    batch of a few thousand signals always costs two; one if nobody lives there.
    Residents are current on `on` (default today): the household has not moved out and
    the membership has not ended.
    """
    wanted = None
    if addresses is not None:
        wanted = {(_compact_postcode(p), n): None for p, n in addresses}
    return _load(postcodes, wanted, on)


def load_candidates_for(
    signals: Iterable[SignalFacts], *, on: dt.date | None = None
) -> CandidateIndex:
    """`load_candidates` for a batch of signals, in two queries.

    Loads the adults at each signal's own address, and at every address of its house
    number only when the signal's letter or addition is no address there (flats 12-1 …
    12-8 for a signal that says 12): a block of flats then costs its rows only when
    they are needed.
    """
    wanted: dict[tuple[str, int], set[str] | None] = {}
    for signal in signals:
        number, raw_suffix = _split_house_number(signal.house_number)
        suffixes = wanted.setdefault((_compact_postcode(signal.postcode), number), set())
        assert suffixes is not None
        suffixes.add(_suffix(raw_suffix + signal.house_letter + signal.addition))
    return _load({postcode for postcode, _ in wanted}, wanted, on)


def _load(
    postcodes: Iterable[str],
    wanted: Mapping[tuple[str, int], set[str] | None] | None,
    on: dt.date | None,
) -> CandidateIndex:
    """Addresses of `postcodes` (those in `wanted` if given), then the adults living at
    them: at every address of a wanted number when its suffixes are None or not all
    exist, else only at the addresses with those suffixes."""
    on = on or timezone.localdate()
    index = CandidateIndex(on)
    wanted_postcodes = sorted({_compact_postcode(p) for p in postcodes})
    entries: dict[int, AddressEntry] = {}
    site_of_address: dict[int, Site] = {}
    for chunk in _chunks(wanted_postcodes):
        rows = (
            Address.objects.filter(postcode__in=chunk)
            .order_by()
            .values_list(
                "id", "postcode", "house_number", "house_letter", "addition", "neighbourhood_id"
            )
        )
        for address_id, postcode, number, letter, addition, neighbourhood_id in rows:
            index.postcode_neighbourhood.setdefault(postcode, neighbourhood_id)
            if wanted is not None and (postcode, number) not in wanted:
                continue
            entry = AddressEntry(address_id, _suffix(letter + addition), neighbourhood_id)
            entries[address_id] = entry
            site = index.sites.setdefault((postcode, number), Site())
            site.addresses.append(entry)
            site_of_address[address_id] = site
    if not entries:
        return index
    current = (
        (Q(household__end_date__isnull=True) | Q(household__end_date__gt=on))
        & (Q(household__start_date__isnull=True) | Q(household__start_date__lte=on))
        & (Q(start_date__isnull=True) | Q(start_date__lte=on))
        & (Q(end_date__isnull=True) | Q(end_date__gte=on))
    )
    fields = (
        "person_id",
        "household_id",
        "household__address_id",
        "person__initials",
        "person__given_names",
        "person__surname_prefix",
        "person__surname",
        "person__birth_surname_prefix",
        "person__birth_surname",
        "person__date_of_birth",
    )
    if wanted is None:
        filters: list[Q] = [
            Q(household__address__postcode__in=c) for c in _chunks(wanted_postcodes)
        ]
    else:
        address_ids: list[int] = []
        for key, site in index.sites.items():
            suffixes = wanted[key]
            if suffixes is None or not suffixes <= {a.suffix for a in site.addresses}:
                address_ids.extend(a.address_id for a in site.addresses)
            else:
                address_ids.extend(a.address_id for a in site.addresses if a.suffix in suffixes)
        filters = [Q(household__address_id__in=c) for c in _chunks(sorted(address_ids))]
    # Contract holders are adults: a minor cannot sign a rental, energy or insurance
    # contract, and children share their parents' surname and often their initials.
    adult = Q(person__date_of_birth__isnull=True) | Q(
        person__date_of_birth__lte=years_before(on, ADULT_AGE)
    )
    households: dict[int, list[Candidate]] = {}
    for where in filters:
        rows_of_people = (
            Membership.objects.filter(where, current, adult).order_by().values_list(*fields)
        )
        for (
            person_id,
            household_id,
            address_id,
            initials,
            given_names,
            prefix,
            surname,
            birth_prefix,
            birth_surname,
            date_of_birth,
        ) in rows_of_people:
            entry = entries[address_id]
            entry.household_ids.add(household_id)
            household = households.setdefault(household_id, [])
            candidate = Candidate(
                person_id,
                household_id,
                address_id,
                entry.suffix,
                initials,
                given_names,
                prefix,
                surname,
                birth_prefix,
                birth_surname,
                date_of_birth,
                household,
            )
            household.append(candidate)
            site_of_address[address_id].candidates.append(candidate)
    return index


# Scoring ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The outcome for one signal.

    `reasons` are English msgids (translate with gettext when shown); `alternatives` are
    the other residents worth showing on the review list, as (person id, confidence).
    With status none, `address_id`/`household_id`/`neighbourhood_id` still route the
    signal by address when the address is known.
    """

    status: MatchStatus
    person_id: int | None
    household_id: int | None
    address_id: int | None
    confidence: int
    reasons: tuple[str, ...]
    alternatives: tuple[tuple[int, int], ...] = ()
    neighbourhood_id: int | None = None

    def reason_texts(self) -> list[str]:
        """The reasons in the active language."""
        return [gettext(reason) for reason in self.reasons]


@dataclass(slots=True)
class _Scored:
    candidate: Candidate
    points: int
    surname_points: int
    name_points: int
    dob_points: int
    reasons: list[str]


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """`shorter` occurs as consecutive words in `longer` (and is not a two-letter scrap)."""
    size = len(shorter)
    if not size or size >= len(longer) or sum(map(len, shorter)) < 3:
        return False
    return any(longer[i : i + size] == shorter for i in range(len(longer) - size + 1))


def _surname_points(name: _SignalName, candidate: Candidate) -> tuple[int, str]:
    c = candidate.keys
    if not name.key:
        return 0, ""
    if name.key == c.key:
        return 50, R_SAME_SURNAME
    if c.birth_key and name.key == c.birth_key:
        return 45, R_BIRTH_SURNAME
    if name.phonetic == c.phonetic or (c.birth_phonetic and name.phonetic == c.birth_phonetic):
        return 45, R_SPELLING
    if name.business and (
        _contains(name.tokens, c.tokens) or _contains(name.tokens, c.birth_tokens)
    ):
        return 45, R_BUSINESS_NAME
    best, reason = 0, ""
    if (
        _contains(name.tokens, c.tokens)
        or _contains(c.tokens, name.tokens)
        or _contains(name.tokens, c.birth_tokens)
        or _contains(c.birth_tokens, name.tokens)
    ):
        best, reason = 35, R_PART
    for key, phonetic in ((c.key, c.phonetic), (c.birth_key, c.birth_phonetic)):
        if not key:
            continue
        shortest, longest = sorted((len(key), len(name.key)))
        distance = min(
            OSA.distance(name.key, key, score_cutoff=2),
            OSA.distance(name.phonetic, phonetic, score_cutoff=2),
        )
        if distance == 1 and shortest >= 3 and longest >= 4 and best < 35:
            best, reason = 35, R_ONE_LETTER
        elif distance == 2 and shortest >= 7 and best < 20:
            best, reason = 20, R_TWO_LETTERS
    if best == 0 and name.key in candidate.housemate_keys():
        # Many partners write to a married woman by her husband's name although the
        # register keeps her own (aanschrijfnaam): with her initials and date of birth
        # that is her, not him.
        best, reason = 30, R_HOUSEMATE_SURNAME
    return best, reason


def _name_points(name: _SignalName, c: PersonKeys) -> tuple[int, str]:
    if name.first_name and c.given:
        if name.first_name == c.given[0]:
            return 25, R_SAME_FIRST_NAME
        if fuzz.ratio(name.first_name, c.given[0]) >= 85:
            return 15, R_FIRST_NAME_SPELLING
        if name.first_name in c.given[1:]:
            return 10, R_FIRST_NAME_LATER
        if name.written_initials and name.initials[0] != name.first_name[0]:
            # A call name (Hans for Johannes) next to the official initials J.: the
            # initials are what the partner copied from an identity document.
            points, reason = _initials_points(name.initials, c.initials)
            if points > 0:
                return points, reason
        return -25, R_DIFFERENT_FIRST_NAME
    return _initials_points(name.initials, c.initials)


def _initials_points(signal: tuple[str, ...], own: tuple[str, ...]) -> tuple[int, str]:
    if not signal or not own:
        return 0, ""
    if signal == own:
        return 20, R_SAME_INITIALS
    if signal[0] == own[0]:
        if own[: len(signal)] == signal or signal[: len(own)] == own:
            return 15, R_INITIALS_FIT
        return 10, R_FIRST_INITIAL
    if signal[0] in own:
        return -10, R_INITIAL_LATER
    return -35, R_DIFFERENT_INITIALS


def _dob_points(signal: dt.date | None, own: dt.date | None) -> tuple[int, str]:
    if signal is None or own is None:
        return 0, ""
    if signal == own:
        return 35, R_SAME_DOB
    if (signal.year, signal.month, signal.day) == (own.year, own.day, own.month):
        return 25, R_DOB_SWAPPED
    same = (signal.year == own.year) + (signal.month == own.month) + (signal.day == own.day)
    if same == 2:
        # One part off (a typing error in the day or the year): not the same date, but
        # not proof of another person either. Keeps the match on the review list.
        return -10, R_DOB_NEARLY
    return -45, R_DIFFERENT_DOB


def _score(name: _SignalName, dob: dt.date | None, suffix: str, c: Candidate) -> _Scored:
    reasons: list[str] = []
    surname, why = _surname_points(name, c)
    if why:
        reasons.append(why)
    given, why = _name_points(name, c.keys)
    if why:
        reasons.append(why)
    born, why = _dob_points(dob, c.date_of_birth)
    if why:
        reasons.append(why)
    points = surname + given + born
    if c.suffix == suffix:
        reasons.append(R_SAME_ADDRESS)
    elif not suffix:
        points -= 10
        reasons.append(R_SUFFIX_MISSING)
    else:
        points -= 20
        reasons.append(R_SUFFIX_DIFFERS)
    return _Scored(c, points, surname, given, born, reasons)


def _confidence(points: int) -> int:
    return max(0, min(100, points))


def _route(
    site: Site | None, suffix: str, postcode: str, index: CandidateIndex
) -> tuple[int | None, int | None, int | None]:
    """(address id, household id, neighbourhood id) to route by, as far as known."""
    if site is None:
        return None, None, index.postcode_neighbourhood.get(postcode)
    exact = [a for a in site.addresses if a.suffix == suffix]
    chosen = exact[0] if exact else (site.addresses[0] if len(site.addresses) == 1 else None)
    neighbourhood = site.addresses[0].neighbourhood_id if site.addresses else None
    if chosen is None:
        return None, None, neighbourhood
    household = next(iter(chosen.household_ids)) if len(chosen.household_ids) == 1 else None
    return chosen.address_id, household, chosen.neighbourhood_id


_NO_DECISIONS: Mapping[DecisionKey, int | None] = {}


def match_signal(
    signal: SignalFacts,
    index: CandidateIndex,
    remembered: Mapping[DecisionKey, int | None] = _NO_DECISIONS,
    *,
    organisation_id: int | None = None,
) -> MatchResult:
    """Match one signal against the residents at its address in `index`.

    `remembered` holds the signal officer's earlier decisions by `decision_key`; pass
    the partner's `organisation_id` so the key can be made.
    """
    postcode = _compact_postcode(signal.postcode)
    number, raw_suffix = _split_house_number(signal.house_number)
    suffix = _suffix(raw_suffix + signal.house_letter + signal.addition)
    site = index.site(postcode, number)
    address_id, household_id, neighbourhood_id = _route(site, suffix, postcode, index)
    extra: list[str] = []

    name = _signal_name(signal)
    if remembered:
        key = _decision_key(organisation_id, signal, name)
        if key in remembered:
            person_id = remembered[key]
            if person_id is None:
                return MatchResult(
                    MatchStatus.NONE,
                    None,
                    household_id,
                    address_id,
                    0,
                    (R_DECIDED_NO_MATCH,),
                    neighbourhood_id=neighbourhood_id,
                )
            chosen = next(
                (c for c in (site.candidates if site else ()) if c.person_id == person_id), None
            )
            if chosen is not None:
                return MatchResult(
                    MatchStatus.AUTOMATIC,
                    person_id,
                    chosen.household_id,
                    chosen.address_id,
                    100,
                    (R_DECIDED,),
                    neighbourhood_id=neighbourhood_id,
                )
            # The officer's decision stands (arrears on the old contract are still
            # theirs), but the household here is not theirs: leave it out.
            return MatchResult(
                MatchStatus.AUTOMATIC,
                person_id,
                None,
                address_id,
                100,
                (R_DECIDED, R_DECISION_MOVED),
                neighbourhood_id=neighbourhood_id,
            )

    if name.business:
        extra.append(R_ONE_PERSON_BUSINESS)
    if name.company:
        return MatchResult(
            MatchStatus.NONE,
            None,
            household_id,
            address_id,
            0,
            (*extra, R_COMPANY),
            neighbourhood_id=neighbourhood_id,
        )
    if site is None:
        return MatchResult(
            MatchStatus.NONE,
            None,
            None,
            None,
            0,
            (*extra, R_ADDRESS_UNKNOWN),
            neighbourhood_id=neighbourhood_id,
        )
    # Residents at exactly the signal's address first; the others at the same number
    # (12 and 12A, flats 12-1 … 12-8) only when nobody there fits.
    exact = [c for c in site.candidates if c.suffix == suffix]
    decision = _decide(name, signal.date_of_birth, suffix, exact) if exact else None
    if decision is None or decision[1] == MatchStatus.NONE:
        loose = _decide(name, signal.date_of_birth, suffix, site.candidates)
        decision = loose or decision
    if decision is None:
        return MatchResult(
            MatchStatus.NONE,
            None,
            household_id,
            address_id,
            0,
            (*extra, R_NOBODY_FITS),
            neighbourhood_id=neighbourhood_id,
        )
    best, status, reasons, alternatives = decision
    if status == MatchStatus.NONE:
        return MatchResult(
            MatchStatus.NONE,
            None,
            household_id,
            address_id,
            _confidence(best.points),
            (*extra, R_NOBODY_FITS),
            neighbourhood_id=neighbourhood_id,
        )
    c = best.candidate
    return MatchResult(
        status,
        c.person_id,
        c.household_id,
        c.address_id,
        _confidence(best.points),
        (*extra, *reasons),
        alternatives,
        neighbourhood_id=neighbourhood_id,
    )


def _decide(
    name: _SignalName, dob: dt.date | None, suffix: str, candidates: Sequence[Candidate]
) -> tuple[_Scored, MatchStatus, list[str], tuple[tuple[int, int], ...]] | None:
    """Score `candidates` and pick the best: (best, status, reasons, alternatives)."""
    if not candidates:
        return None
    scored = [_score(name, dob, suffix, c) for c in candidates]
    # Who else fits the name: an adult with a similar surname whose initials and date of
    # birth do not contradict. Nobody else: the name alone points at one person.
    # A housemate's surname (the partner's name) is no fit of the name itself.
    fitting = [
        s
        for s in scored
        if s.surname_points >= 20
        and s.name_points >= 0
        and s.dob_points >= 0
        and R_HOUSEMATE_SURNAME not in s.reasons
    ]
    if len(fitting) == 1 and fitting[0].surname_points >= 35:
        fitting[0].points += 20
        fitting[0].reasons.append(R_UNIQUE)
    scored.sort(key=lambda s: (-s.points, s.candidate.person_id))
    best = scored[0]
    runner_up = scored[1] if len(scored) > 1 else None
    reasons = list(best.reasons)
    if best.points >= AUTOMATIC_FROM:
        status = MatchStatus.AUTOMATIC
    elif best.points >= REVIEW_FROM:
        status = MatchStatus.REVIEW
    else:
        status = MatchStatus.NONE
    if (
        status == MatchStatus.AUTOMATIC
        and runner_up is not None
        and runner_up.points >= best.points - AMBIGUITY_MARGIN
    ):
        status = MatchStatus.REVIEW
        reasons.append(R_AMBIGUOUS)
    alternatives = tuple(
        (s.candidate.person_id, _confidence(s.points))
        for s in scored[1:4]
        if s.points >= REVIEW_FROM
    )
    return best, status, reasons, alternatives


def match_signals(
    signals: Sequence[SignalFacts],
    *,
    remembered: Mapping[DecisionKey, int | None] = _NO_DECISIONS,
    organisation_id: int | None = None,
    batch_size: int = 5000,
    on: dt.date | None = None,
) -> list[MatchResult]:
    """Match many signals, loading candidates per batch (two queries per batch).

    The signals are batched in postcode order, so that a batch touches as few postcodes
    (and loads as few addresses) as it can; the results are in the order of `signals`.
    """
    order = sorted(range(len(signals)), key=lambda i: _compact_postcode(signals[i].postcode))
    results: list[MatchResult | None] = [None] * len(signals)
    for start in range(0, len(order), batch_size):
        positions = order[start : start + batch_size]
        batch = [signals[i] for i in positions]
        index = load_candidates_for(batch, on=on)
        for position, signal in zip(positions, batch, strict=True):
            results[position] = match_signal(
                signal, index, remembered, organisation_id=organisation_id
            )
    return [result for result in results if result is not None]
