"""`manage.py verify_audit_chain`: walk the whole audit log and report every change or gap,
check it against the anchors outside the database, and anchor the head it verified.

Exit status 0 when the log is intact, 1 when it is broken (for monitoring). After
retention pruning it starts from the newest signed checkpoint. See audit.verification for
everything it checks."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from buurtkracht.audit.anchors import anchor_write
from buurtkracht.audit.verification import verify_log


class Command(BaseCommand):
    help = (
        "Verify the hash chain of the audit log against its anchors; report changed, missing "
        "or inserted entries; then anchor the verified head."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-anchor",
            action="store_true",
            help="Only check; do not append an anchor (for a read-only copy of the database).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_log()
        if not options["no_anchor"]:
            anchor = anchor_write(verified=report.ok)
            self.stdout.write(f"Anchored #{anchor.sequence} in {settings.AUDIT_ANCHOR_FILE}.")
        since = (
            f" (since checkpoint #{report.since_checkpoint})"
            if report.since_checkpoint is not None
            else ""
        )
        checked = f"{report.entries:,} entries verified{since}, against {report.anchors:,} anchors"
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"Audit log intact: {checked}."))
            return
        for problem in report.problems:
            self.stderr.write(problem)
        raise CommandError(f"Audit log BROKEN: {len(report.problems)} problem(s); {checked}.")
