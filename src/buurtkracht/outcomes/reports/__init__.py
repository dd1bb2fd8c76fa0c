"""The neighbourhood report (issue 7, "Reports for team leaders and policy advisors"):
figures per neighbourhood for a period, optionally for one team.

Reads only. Every figure goes through `outcomes.suppression`, which publishes it by the
one rule of `core.disclosure` (rounded to base 5, totals and shares from rounded figures),
so no figure about fewer than five households can be worked out, not even from two
reports with different filters. Nothing is grouped per worker: the report is about what
happens in neighbourhoods, not a ranking of colleagues. The number of queries does not
depend on the number of households: counts are made in the database, one query per
figure kind (movement reads one row per assessment in the period,
to pair it with the intake in Python).

What "in the period" means per figure:
- households reached: households with an intake recorded in the period (withdrawn intakes
  left out), counted once per way in and once in the row total;
- plans started: plans created in the period; plans closed: closed in the period (a
  household has one plan, so these count households);
- goal reached: households with a goal closed as reached on a day in the period (the
  goal's state and day, set on the plan or at a review; partly reached and stopped goals
  do not count);
- four-step order: actions added in the period, by step, as a share of all of them;
  no share when fewer than ten actions or (rounded) five households are behind a row;
- movement (self-reliance matrix and participation ladder in the worker's view, the own
  scores in the resident's): households with an assessment at intake and a later one held
  in the period; up, the same or down on the stored summary (the average of the items);
- early signals: the signal monitor's reports of the months in the period, by what came of
  them;
- warm referrals: referrals made in the period, by where they stand today (started, not
  started or dropped out, still under way).

A team filter keeps the neighbourhoods the team serves; an area filter one neighbourhood
or the neighbourhoods of one district. Households whose address lies
outside every neighbourhood are not in the report.

Where things are: `report` (the whole report), `tables` (its shape), `plans` (figures
from the files), `movement` (assessments) and `outreach` (early signals, warm referrals).
"""

from buurtkracht.outcomes.reports.outreach import referrals_started_per_resource
from buurtkracht.outcomes.reports.report import neighbourhoods_for, outcome_report
from buurtkracht.outcomes.reports.tables import (
    OutcomeReport,
    Period,
    ReportRow,
    ReportTable,
    Shown,
)

__all__ = [
    "OutcomeReport",
    "Period",
    "ReportRow",
    "ReportTable",
    "Shown",
    "neighbourhoods_for",
    "outcome_report",
    "referrals_started_per_resource",
]
