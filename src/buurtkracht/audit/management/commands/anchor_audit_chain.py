"""`manage.py anchor_audit_chain`: append the audit chain's head, signed, to the anchor file
and the system log. Run it every BUURTKRACHT_AUDIT_ANCHOR_MINUTES from a timer (cron or
systemd, docs/operations.md). Quick: it first checks that the recent anchors (the end of
the file) still match the database, and exits 1 when one does not, so a shortened or
recomputed log is noticed within minutes rather than at the nightly full check."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from buurtkracht.audit.anchors import anchor_write, anchors_match_database, read_tail


class Command(BaseCommand):
    help = "Anchor the head of the audit chain outside the database (a signed line)."

    def handle(self, *args: Any, **options: Any) -> None:
        tail = read_tail()
        problems = tail.problems + anchors_match_database(tail.anchors)
        anchor = anchor_write()
        self.stdout.write(
            f"Anchored #{anchor.sequence} {anchor.hash} in {settings.AUDIT_ANCHOR_FILE}."
        )
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(
                "Audit log BROKEN since the previous anchor; run verify_audit_chain."
            )
