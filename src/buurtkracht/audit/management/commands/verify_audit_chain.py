"""`manage.py verify_audit_chain`: walk the whole audit log and report every change or gap.

Exit status 0 when the chain is intact, 1 when it is broken (for monitoring). After
retention pruning it starts from the newest checkpoint."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from buurtkracht.audit.chain import GENESIS, HASHED_FIELDS, verify
from buurtkracht.audit.models import AuditCheckpoint, AuditEvent


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log; report changed, missing or inserted entries."

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoint = AuditCheckpoint.objects.order_by("-sequence").first()
        start_sequence = checkpoint.sequence if checkpoint else 0
        start_hash = checkpoint.hash if checkpoint else GENESIS
        total = AuditEvent.objects.count()
        entries = (
            AuditEvent.objects.order_by("sequence")
            .values(*HASHED_FIELDS, "previous_hash", "hash")
            .iterator(chunk_size=5000)
        )
        breaks = list(verify(entries, start_hash=start_hash, start_sequence=start_sequence))
        since = f" (since checkpoint #{start_sequence})" if checkpoint else ""
        if not breaks:
            self.stdout.write(
                self.style.SUCCESS(f"Audit log intact: {total:,} entries verified{since}.")
            )
            return
        for problem in breaks:
            self.stderr.write(f"Entry {problem.sequence}: {problem.problem}")
        raise CommandError(f"Audit log BROKEN: {len(breaks)} problem(s) in {total:,} entries.")
