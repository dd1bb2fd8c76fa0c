"""`manage.py send_digests`: the daily e-mail of notifications for those who chose it.
Once a day per user (Amsterdam's date), whatever the hour or how often it runs."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from buurtkracht.notifications.services import digests_send


class Command(BaseCommand):
    help = "Send the daily e-mail of notifications to users who chose it."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = digests_send()
        self.stdout.write(f"send_digests: {sent}")
