"""`manage.py notify_due`: tell who is due what today (workspace/due.py). Run once a day
(docs/operations.md has a systemd timer); running it again tells nobody twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from buurtkracht.workspace.due import due_notify


class Command(BaseCommand):
    help = "Notify workers of actions, reviews and aftercare due and referral checks overdue."

    def handle(self, *args: Any, **options: Any) -> None:
        told = due_notify()
        self.stdout.write(f"notify_due: {told}")
