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
from buurtkracht.signals.matching.elsewhere import FoundAddress, decide_elsewhere, load_elsewhere
from buurtkracht.signals.matching.names import (
    DecisionKey,
    SignalFacts,
    _compact_postcode,
    _decision_key,
    _signal_name,
    _SignalName,
    _split_house_number,
    _suffix,
    usable_date_of_birth,
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
    # Where the person lives when found away from the signal's address (moved, or a
    # typing error in the address); an automatic match is routed there.
    found_at: FoundAddress | None = None

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
    """Match one signal against the residents at its address in `index`, and, when
    nobody there fits and `index.elsewhere` is loaded (`match_batch`), against the
    people who may live elsewhere (movers, a typing error in the address).

    `remembered` holds the signal officer's earlier decisions by `decision_key`; pass
    the partner's `organisation_id` so the key can be made.
    """
    return _look_elsewhere(signal, index, _match_here(signal, index, remembered, organisation_id))


def _look_elsewhere(signal: SignalFacts, index: CandidateIndex, result: MatchResult) -> MatchResult:
    """`result` (at the signal's address), or a match elsewhere when it found nobody."""
    if (
        index.elsewhere is None
        or result.status != MatchStatus.NONE
        or R_COMPANY in result.reasons
        or R_DECIDED_NO_MATCH in result.reasons
    ):
        return result
    postcode = _compact_postcode(signal.postcode)
    number, _raw = _split_house_number(signal.house_number)
    site = index.site(postcode, number)
    own = [a.address_id for a in site.addresses] if site else []
    found = decide_elsewhere(index.elsewhere, _signal_name(signal), signal, own)
    if found is None:
        return result
    c = found.candidate
    if found.automatic:
        return MatchResult(
            MatchStatus.AUTOMATIC,
            c.person_id,
            c.household_id,
            c.address_id,
            found.confidence,
            found.reasons,
            found.alternatives,
            neighbourhood_id=found.found_at.neighbourhood_id,
            found_at=found.found_at,
        )
    # A proposal: routed by the signal's address until the officer confirms it.
    return MatchResult(
        MatchStatus.REVIEW,
        c.person_id,
        result.household_id,
        result.address_id,
        found.confidence,
        found.reasons,
        found.alternatives,
        neighbourhood_id=result.neighbourhood_id,
        found_at=found.found_at,
    )


def match_batch(
    signals: Sequence[SignalFacts],
    index: CandidateIndex,
    remembered: Mapping[DecisionKey, int | None] = _NO_DECISIONS,
    *,
    organisation_id: int | None = None,
) -> list[MatchResult]:
    """Match a batch whose candidates are in `index` (`load_candidates_for`): first at
    the signals' own addresses, then, for those that found nobody there, elsewhere
    (`load_elsewhere`: up to six more queries for the whole batch)."""
    results = [_match_here(s, index, remembered, organisation_id) for s in signals]
    lost = [
        i
        for i, r in enumerate(results)
        if r.status == MatchStatus.NONE
        and R_COMPANY not in r.reasons
        and R_DECIDED_NO_MATCH not in r.reasons
    ]
    if lost:
        index.elsewhere = load_elsewhere(index, [signals[i] for i in lost])
        for i in lost:
            results[i] = _look_elsewhere(signals[i], index, results[i])
    return results


def _match_here(
    signal: SignalFacts,
    index: CandidateIndex,
    remembered: Mapping[DecisionKey, int | None],
    organisation_id: int | None,
) -> MatchResult:
    """Match one signal against the residents at its own address only."""
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
    born = usable_date_of_birth(signal.date_of_birth)
    decision = _decide(name, born, suffix, exact) if exact else None
    if decision is None or decision[1] == MatchStatus.NONE:
        loose = _decide(name, born, suffix, site.candidates)
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
    """Match many signals, loading candidates per batch (two queries per batch, three
    more when some signals found nobody at their address).

    The signals are batched in postcode order, so that a batch touches as few postcodes
    (and loads as few addresses) as it can; the results are in the order of `signals`.
    """
    order = sorted(range(len(signals)), key=lambda i: _compact_postcode(signals[i].postcode))
    results: list[MatchResult | None] = [None] * len(signals)
    for start in range(0, len(order), batch_size):
        positions = order[start : start + batch_size]
        batch = [signals[i] for i in positions]
        index = load_candidates_for(batch, on=on)
        matched = match_batch(batch, index, remembered, organisation_id=organisation_id)
        for position, result in zip(positions, matched, strict=True):
            results[position] = result
    return [result for result in results if result is not None]
