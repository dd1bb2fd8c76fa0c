"""`manage.py prune_audit_log`: remove audit entries older than the retention period
(BUURTKRACHT_AUDIT_RETENTION_YEARS, at least five), leaving a checkpoint from which the
rest of the chain is still verified. The checkpoint is signed with the anchor key (see
audit.anchors). Without --apply it only reports what it would do."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from buurtkracht.audit.anchors import anchor_write, checkpoint_signature
from buurtkracht.audit.models import AuditCheckpoint, AuditEvent


class Command(BaseCommand):
    help = "Remove audit entries past their retention period, keeping a verifiable checkpoint."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--apply", action="store_true", help="Really remove them.")

    def handle(self, *args: Any, **options: Any) -> None:
        years = settings.AUDIT_RETENTION_YEARS
        # One day's margin over the calendar years, so the database's own five-year floor
        # (see migration 0006) agrees whatever the leap years and clock skew.
        cutoff = timezone.now() - dt.timedelta(days=round(365.25 * years) + 1)
        old = AuditEvent.objects.filter(occurred_at__lt=cutoff).order_by("-sequence")
        last = old.values("sequence", "hash").first()
        if last is None:
            self.stdout.write(f"Nothing older than {years} years ({cutoff:%Y-%m-%d}).")
            return
        count = AuditEvent.objects.filter(sequence__lte=last["sequence"]).count()
        if not options["apply"]:
            self.stdout.write(
                f"{count:,} entries older than {years} years (up to #{last['sequence']}) would "
                "be removed. Run with --apply to remove them."
            )
            return
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Lets the append-only trigger pass DELETE for this transaction only.
                cursor.execute("SET LOCAL buurtkracht.audit_prune = 'on'")
            AuditCheckpoint.objects.create(
                sequence=last["sequence"],
                hash=last["hash"],
                removed=count,
                cutoff=cutoff,
                signature=checkpoint_signature(
                    sequence=last["sequence"], hash=last["hash"], removed=count, cutoff=cutoff
                ),
            )
            # Raw SQL: the models refuse deletes on purpose; this is the one sanctioned path.
            cursor.execute(
                "DELETE FROM audit_auditsubject WHERE event_id IN "
                "(SELECT id FROM audit_auditevent WHERE sequence <= %s)",
                [last["sequence"]],
            )
            cursor.execute("DELETE FROM audit_auditevent WHERE sequence <= %s", [last["sequence"]])
        # The head after pruning, so the anchors show when the log was pruned.
        anchor_write()
        self.stdout.write(
            self.style.SUCCESS(
                f"Removed {count:,} entries up to #{last['sequence']}; checkpoint kept."
            )
        )
