"""The signal monitor (monitor vroegsignalering): figures per month, team or neighbourhood
for team leaders, signal officers and policy advisors (reads).

The figures combine the reports still kept with the anonymous counts (`MonitorCount`) that
the retention purge leaves behind, so a month whose signals are gone still counts the same.
Everything is aggregated in the database with a fixed number of queries, whatever the
number of reports.

Small numbers: the page is for policy, not for cases. A figure about fewer than five
reports could point at a household in a small neighbourhood, so every count is rounded to
base 5, totals add up the rounded rows and every percentage is computed from rounded
counts, on ten or more (`core.disclosure`, the one rule for every published figure).

Where things are: `months` (month arithmetic and ranges), `counts` (counting in the
database, kept and purged), `figures` (what a cell shows, rounded), `rows`
(the monitor's rows per group and their total) and `costs` (the cost picture).
"""

from buurtkracht.signals.monitor.costs import CostPicture, cost_picture
from buurtkracht.signals.monitor.counts import Counts, report_counts
from buurtkracht.signals.monitor.figures import (
    REFERENCE_PER_1000,
    REFERENCE_REACH,
    Figure,
    MonitorRow,
    attempt_kinds,
)
from buurtkracht.signals.monitor.months import (
    MonthRange,
    first_month_with_data,
    month_start,
    months_back,
    months_between,
    months_with_data,
)
from buurtkracht.signals.monitor.rows import GROUPINGS, GroupBy, monitor_rows, total_row

__all__ = [
    "GROUPINGS",
    "REFERENCE_PER_1000",
    "REFERENCE_REACH",
    "CostPicture",
    "Counts",
    "Figure",
    "GroupBy",
    "MonitorRow",
    "MonthRange",
    "attempt_kinds",
    "cost_picture",
    "first_month_with_data",
    "monitor_rows",
    "month_start",
    "months_back",
    "months_between",
    "months_with_data",
    "report_counts",
    "total_row",
]
