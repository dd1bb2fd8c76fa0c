"""Deciding a match: automatic, review or none, remembered decisions, routing by address."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext

from buurtkracht.signals.matching.candidates import (
    Candidate,
    CandidateIndex,
    Site,
    load_candidates_for,
)
from buurtkracht.signals.matching.names import (
    DecisionKey,
    SignalFacts,
    _compact_postcode,
    _decision_key,
    _signal_name,
    _SignalName,
    _split_house_number,
    _suffix,
)
from buurtkracht.signals.matching.reasons import (
    R_ADDRESS_UNKNOWN,
    R_AMBIGUOUS,
    R_COMPANY,
    R_DECIDED,
    R_DECIDED_NO_MATCH,
    R_DECISION_MOVED,
    R_HOUSEMATE_SURNAME,
    R_NOBODY_FITS,
    R_ONE_PERSON_BUSINESS,
    R_UNIQUE,
)
from buurtkracht.signals.matching.scoring import _confidence, _score, _Scored

# Thresholds on the score (see the module docstring).
AUTOMATIC_FROM = 85
REVIEW_FROM = 30
# A runner-up this close to the best candidate makes the match a question for a person.
AMBIGUITY_MARGIN = 15


class MatchStatus(enum.StrEnum):
    AUTOMATIC = "automatic"  # linked without a person looking at it
    REVIEW = "review"  # on the signal officer's review list
    NONE = "none"  # no person; possibly still an address to route by


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
