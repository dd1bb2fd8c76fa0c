"""The cost picture: an upper bound of what preventing evictions may save."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from buurtkracht.core.disclosure import published_sum
from buurtkracht.signals.models import (
    OutreachSettings,
)
from buurtkracht.signals.monitor.figures import Figure, MonitorRow, count_figure

# The cost picture ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CostPicture:
    """An estimate, not an outcome: what prevention could save if every household that
    accepted help would otherwise have been evicted. Not every one would have been, so the
    amount is an upper bound. It rests on the published (rounded) number of households.
    The amounts per household are the municipality's settings
    (defaults from the Woonkracht lab)."""

    households: Figure
    eviction_cost_corporation: int
    eviction_cost_society: int
    prevention_cost: int
    saving_per_household: int
    possible_savings: int | None  # None when not shown (no household, rounded)
    corporation_costs_avoided: int | None

    @property
    def shown(self) -> bool:
        return self.possible_savings is not None


def cost_picture(rows: Iterable[MonitorRow], settings: OutreachSettings) -> CostPicture:
    # The published (rounded) households, as in the rows: the amount says no more.
    accepted = published_sum(row.published("accepted") for row in rows)
    per_household = settings.eviction_cost_society - settings.prevention_cost
    shown = accepted > 0
    return CostPicture(
        households=count_figure(accepted),
        eviction_cost_corporation=settings.eviction_cost_corporation,
        eviction_cost_society=settings.eviction_cost_society,
        prevention_cost=settings.prevention_cost,
        saving_per_household=per_household,
        possible_savings=accepted * per_household if shown else None,
        corporation_costs_avoided=(
            accepted * settings.eviction_cost_corporation if shown else None
        ),
    )
