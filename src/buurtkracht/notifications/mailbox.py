"""The demo's mail backend: prints each message on the console, as Django's console
backend does, and keeps it for the demo's page of sent mail (`/meldingen/demo-post/`).
Never in production: the page answers 404 there and the production settings keep SMTP."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.utils import timezone

from buurtkracht.notifications.models import DemoMail

BACKEND = "buurtkracht.notifications.mailbox.DemoMailBackend"


class DemoMailBackend(ConsoleBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        count: int = super().send_messages(email_messages) or 0
        DemoMail.objects.bulk_create(
            [
                DemoMail(
                    sent_at=timezone.now(),
                    to=", ".join(message.to)[:500],
                    subject=str(message.subject)[:300],
                    body=str(message.body),
                )
                for message in email_messages
            ]
        )
        return count


# A link that opens someone's own account: the administrator never sees it (activation,
# docs/access.md), not even in the demo.
OWNER_ONLY = re.compile(r"\S*/accounts/(?:activeren|wachtwoord-vergeten/nieuw)/\S+")


def redact(body: str, hidden: str) -> str:
    return OWNER_ONLY.sub(hidden, body)
