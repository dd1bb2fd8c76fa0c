"""Evidence per candidate: points for surname, first name or initials, birth date, address."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from buurtkracht.signals.matching.callnames import is_call_name_of
from buurtkracht.signals.matching.candidates import Candidate, PersonKeys
from buurtkracht.signals.matching.names import _SignalName, phonetic_key
from buurtkracht.signals.matching.reasons import (
    R_BIRTH_SURNAME,
    R_BUSINESS_NAME,
    R_CALL_NAME,
    R_DIFFERENT_DOB,
    R_DIFFERENT_FIRST_NAME,
    R_DIFFERENT_INITIALS,
    R_DOB_NEARLY,
    R_DOB_SWAPPED,
    R_FIRST_INITIAL,
    R_FIRST_NAME_LATER,
    R_FIRST_NAME_SPELLING,
    R_HOUSEMATE_SURNAME,
    R_INITIAL_LATER,
    R_INITIALS_FIT,
    R_ONE_LETTER,
    R_PART,
    R_SAME_ADDRESS,
    R_SAME_DOB,
    R_SAME_FIRST_NAME,
    R_SAME_INITIALS,
    R_SAME_SURNAME,
    R_SPELLING,
    R_SUFFIX_DIFFERS,
    R_SUFFIX_MISSING,
    R_SWAPPED_NAMES,
    R_TWO_LETTERS,
)


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
        if is_call_name_of(name.first_name, c.given[0]):
            # Frans for Franciscus, Ben for Bernardus: the name the person goes by.
            return 20, R_CALL_NAME
        if fuzz.ratio(name.first_name, c.given[0]) >= 85 or (
            min(len(name.first_name), len(c.given[0])) >= 4
            and OSA.distance(name.first_name, c.given[0], score_cutoff=1) == 1
        ):
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


def _swapped(name: _SignalName, c: PersonKeys) -> bool:
    """The surname in the given names field and the first name in the surname field."""
    if not name.given_key or not c.given or not name.key or name.key == c.key:
        return False
    surname_fits = name.given_key == c.key or (
        bool(c.phonetic) and phonetic_key(name.given_key) == c.phonetic
    )
    return surname_fits and (
        name.key == c.given[0]
        or is_call_name_of(name.key, c.given[0])
        or fuzz.ratio(name.key, c.given[0]) >= 85
    )


def _score(name: _SignalName, dob: dt.date | None, suffix: str, c: Candidate) -> _Scored:
    reasons: list[str] = []
    if _swapped(name, c.keys):
        surname, given = 45, 20
        reasons.append(R_SWAPPED_NAMES)
    else:
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
