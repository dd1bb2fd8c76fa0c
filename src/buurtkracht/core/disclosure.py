"""Disclosure control: the one rule for every figure the product publishes or exports
(issue 15, finding 6; docs/decisions/0009-disclosure-control.md, explained in Dutch in
docs/outcomes.md).

The rule has three parts:

1. **Every count is rounded to base 5** (`published`): to the nearest multiple of five,
   so 0, 1 and 2 become 0, 3 to 7 become 5, 8 to 12 become 10, and so on. The rounding
   depends on the true count alone, so the same figure always comes out the same,
   whichever page, filter or export shows it (no averaging over repeated requests).
2. **Sums and shares are made from published figures, never from true ones**
   (`published_sum`, `percent`): a total row is the sum of the rounded rows above it, a
   percentage is one rounded figure over another. What a reader can compute from the page
   is then exactly what the rounded figures already say.
3. **A share or a median needs a published base of at least ten** (`SHARE_BASE`,
   `has_base`): "5 of 5" may be 3 of 7, so a percentage on a handful says nothing and
   would invite guessing.

Why this holds against differencing. A published figure `p` only says that the true
count lies in `possible(p)`: {0, 1, 2} for 0, otherwise five consecutive counts. Take
two filters, one inside the other, with true counts `a` and `b` (a district and one of
its neighbourhoods fewer, two periods a day apart, a team and all teams). What lies in
the wider one only is `d = b - a`; the reader knows `a` and `b` only to within ranges of
at least three values each, so every `d` from `max(0, low(b) - high(a))` to
`high(b) - low(a)`, a span of at least five values before the cut at zero, fits the two
figures as well, and a true count of 1 to 4 always has a second candidate. For filters
that overlap without one holding the other the same holds for each part.
`tests/outcomes/test_disclosure.py` checks it with `hypothesis` over random data sets
and random pairs of reports, rebuilt with the product's code, totals and shares included.

What it does not promise: a reader who combines many figures of many different
groupings at once (four months against their total in another grouping, say) can in
rare alignments narrow a count further. The figures are for colleagues steering the
work; a public release would need a full audit (for example with τ-ARGUS).

Pure Python, no models: every app that publishes a figure uses these functions, and
only these.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

BASE = 5
# A percentage or median is only given when the published figure it rests on is at
# least this large.
SHARE_BASE = 10


def published(n: int) -> int:
    """The published value of a true count: the nearest multiple of `BASE`."""
    n = int(n)
    if n < 0:
        raise ValueError("A count cannot be negative.")
    return BASE * ((n + BASE // 2) // BASE)


def possible(p: int) -> range:
    """The true counts that are published as `p`: what a reader can know from it."""
    if p < 0 or p % BASE:
        raise ValueError(f"{p} is not a published figure.")
    low = max(0, p - BASE // 2)
    return range(low, p + BASE // 2 + 1)


def published_sum(parts: Iterable[int]) -> int:
    """A total of published figures: the sum of what is shown, not the true total."""
    total = 0
    for p in parts:
        if p % BASE:
            raise ValueError(f"{p} is not a published figure.")
        total += p
    return total


def has_base(whole: int) -> bool:
    """Whether a published figure is large enough to compute a share or median on."""
    return whole >= SHARE_BASE


def percent(part: int, whole: int) -> float | None:
    """part / whole in percent, both published figures; None when the whole is below
    `SHARE_BASE`."""
    if not has_base(whole):
        return None
    return 100 * part / whole


def explanation() -> str:
    """The rule in one paragraph, for every page and export that shows figures."""
    return _(
        "All numbers are rounded to multiples of 5: 0 means 0, 1 or 2, and 5 means 3 to 7. "
        "Totals add up the rounded numbers and percentages are computed from them (only on "
        "10 or more), so they can differ a little from the exact figures. This way nobody "
        "can work out a figure about fewer than five residents, not even by comparing two "
        "selections."
    )
