"""`manage.py verify_audit_chain`: walk the whole audit log and report every change or gap.

Exit status 0 when the chain is intact, 1 when it is broken (for monitoring)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from buurtkracht.audit.chain import HASHED_FIELDS, verify
from buurtkracht.audit.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log; report changed, missing or inserted entries."

    def handle(self, *args: Any, **options: Any) -> None:
        total = AuditEvent.objects.count()
        entries = (
            AuditEvent.objects.order_by("sequence")
            .values(*HASHED_FIELDS, "previous_hash", "hash")
            .iterator(chunk_size=5000)
        )
        breaks = list(verify(entries))
        if not breaks:
            self.stdout.write(self.style.SUCCESS(f"Audit log intact: {total:,} entries verified."))
            return
        for problem in breaks:
            self.stderr.write(f"Entry {problem.sequence}: {problem.problem}")
        raise CommandError(f"Audit log BROKEN: {len(breaks)} problem(s) in {total:,} entries.")
