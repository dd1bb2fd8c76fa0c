"""Matching early signals of payment arrears (vroegsignalering) to residents and addresses.

A partner (housing corporation, energy supplier, water company, health insurer) reports
a resident with arrears by name and address. The name is written as the partner's
system has it, which is rarely how the municipality's register has it: "DE VRIES" or
"Vries, de" for "de Vries", "Celik" for "Çelik", "Janssen" for "Jansen", only initials,
a typing error, the birth name of a woman who uses her husband's name, "12-a" for 12A,
or a contract in the name of a one-person business ("Schildersbedrijf J. de Vries").
This package finds the resident the signal is about, says how sure it is and why, and
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
   12-8). When nobody there fits, `match_batch` looks **elsewhere** (module
   `elsewhere`): people who lived at the address (the register's history) and live
   elsewhere in town now, adults with the signal's name and date of birth, and residents
   at a neighbouring number or a postcode one character off. A strong unique fit is
   automatic and the report goes to the team of the address where the person lives
   now; a weaker one is a proposal on the review list.
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
   a call name (Frans for Franciscus)                +20
   first name one letter off (spelling)              +15
   first name and surname swapped between fields     +45 and +20
   initials fit (J. for J.H.) / first initial fits   +15 / +10
   initial matches a later given name                −10
   different first name / different initials        −25 / −35
   same date of birth / day and month swapped        +35 / +25
   (a placeholder such as 01-01-1900 counts as none)
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

Cost: `load_elsewhere` adds up to six queries per batch for the signals that found nobody
at their address (history, existing postcodes, typo addresses, the adults among them).
`load_candidates_for` is two queries per batch (addresses of the batch's
postcodes; adults at the batch's house numbers) and the scoring is plain Python over a
few candidates per signal, with the folded keys of names cached (`functools.lru_cache`),
so a batch of 5,000 signals takes well under a second.

Where things are: `names` (the signal's facts and the keys of names and addresses),
`candidates` (who lives at the address), `scoring` (the evidence per candidate),
`decisions` (status, remembered decisions, routing) and `reasons` (the msgids).
"""

from buurtkracht.core.names import fold
from buurtkracht.signals.matching.candidates import (
    CandidateIndex,
    load_candidates,
    load_candidates_for,
)
from buurtkracht.signals.matching.decisions import (
    AUTOMATIC_FROM,
    REVIEW_FROM,
    MatchResult,
    MatchStatus,
    match_batch,
    match_signal,
    match_signals,
)
from buurtkracht.signals.matching.elsewhere import FoundAddress, load_elsewhere
from buurtkracht.signals.matching.names import (
    DecisionKey,
    SignalFacts,
    SignalInput,
    decision_key,
    house_key,
    name_key,
    phonetic_key,
    surname_key,
)
from buurtkracht.signals.matching.reasons import R_DOB_SET_ASIDE

__all__ = [
    "AUTOMATIC_FROM",
    "REVIEW_FROM",
    "R_DOB_SET_ASIDE",
    "CandidateIndex",
    "DecisionKey",
    "FoundAddress",
    "MatchResult",
    "MatchStatus",
    "SignalFacts",
    "SignalInput",
    "decision_key",
    "fold",
    "house_key",
    "load_candidates",
    "load_candidates_for",
    "load_elsewhere",
    "match_batch",
    "match_signal",
    "match_signals",
    "name_key",
    "phonetic_key",
    "surname_key",
]
