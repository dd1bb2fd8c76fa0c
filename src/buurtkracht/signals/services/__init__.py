"""Taking in signals: read, validate, match, bundle, prioritise and route (writes).

A delivery runs in batches, each in a transaction of its own, so that the upload page and
the command line can show progress while it runs, and a batch that fails loses only
itself. Delivering the same file twice creates nothing twice: the checksum finds the
earlier delivery, and a partner reference already taken in is counted, not added again.

Where things are: `deliveries` (files and API rows, in logged batches), `corrections`
(rows set aside that the partner corrects on screen), `batches` (taking in one batch:
checks, matching, storing), `reports` (bundling by address and month, routing), `priority`
(the rules and their reasons) and `partners` (who delivers which kind, and the outreach
settings).
"""

from buurtkracht.core.workdays import add_working_days
from buurtkracht.signals.services.batches import stored_decision_key
from buurtkracht.signals.services.corrections import RowCorrection, delivery_row_correct
from buurtkracht.signals.services.deliveries import (
    Outcome,
    delivery_process,
    delivery_receive_file,
    delivery_receive_rows,
    delivery_submit_file,
    delivery_submit_rows,
    rejected_rows_of,
)
from buurtkracht.signals.services.partners import (
    DEFAULT_RULES,
    PARTNER_KIND_OF_ORGANISATION,
    outreach_settings,
    partner_kind_for,
    priority_rules_create_default,
)
from buurtkracht.signals.services.priority import (
    R_AMOUNT_BEFORE,
    RULES,
    reason_text,
    reports_prioritise,
)
from buurtkracht.signals.services.reports import address_key

__all__ = [
    "DEFAULT_RULES",
    "PARTNER_KIND_OF_ORGANISATION",
    "RULES",
    "R_AMOUNT_BEFORE",
    "Outcome",
    "RowCorrection",
    "add_working_days",
    "address_key",
    "delivery_process",
    "delivery_receive_file",
    "delivery_receive_rows",
    "delivery_row_correct",
    "delivery_submit_file",
    "delivery_submit_rows",
    "outreach_settings",
    "partner_kind_for",
    "priority_rules_create_default",
    "reason_text",
    "rejected_rows_of",
    "reports_prioritise",
    "stored_decision_key",
]
