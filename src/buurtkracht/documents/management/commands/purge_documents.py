"""`manage.py purge_documents`: remove the documents of files closed longer than the
retention period (BUURTKRACHT_DOCUMENTS_RETENTION_MONTHS), leaving counts and one audit
entry. Run it daily (cron or a systemd timer). With --dry-run it only says what would go."""

from __future__ import annotations

import datetime as dt

from buurtkracht.core.retention import PurgeCommand
from buurtkracht.documents.retention import documents_purge


class Command(PurgeCommand):
    help = "Remove the documents of files closed longer than the retention period."

    def purge(self, *, today: dt.date | None, dry_run: bool) -> list[str]:
        result = documents_purge(today=today, dry_run=dry_run)
        verb = "would be removed" if dry_run else "removed"
        return [
            f"Retention {result.retention_months} months: files closed before "
            f"{result.cut_off:%Y-%m-%d}.",
            f"{result.documents} documents ({result.bytes} bytes) of "
            f"{len(result.households)} households {verb}.",
        ]
