"""`manage.py create_api_token "<organisation name>" --label "..." [--account USERNAME]`:
make an API token for a partner (for one of its liaison's accounts) and print it once.
Only its hash is stored, so it cannot be shown again."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from buurtkracht.accounts.models import User
from buurtkracht.core.models import Organisation
from buurtkracht.signals.services import partner_kind_for
from buurtkracht.signals.tokens import api_token_create


class Command(BaseCommand):
    help = "Make an API token with which a partner delivers signals; prints it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisation", help="The name of the partner organisation.")
        parser.add_argument(
            "--label",
            required=True,
            help="What the token is for, such as 'Koppeling klantsysteem 2026'.",
        )
        parser.add_argument(
            "--account",
            default="",
            help="The username of the partner liaison the token is for (optional).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["organisation"].strip()
        label = options["label"].strip()
        if not label:
            raise CommandError("Give the token a label, such as --label 'Koppeling 2026'.")
        matches = list(
            Organisation.objects.filter(name__iexact=name).select_related("municipality")
        )
        if not matches:
            raise CommandError(f"No organisation is called {name!r}. Check the name.")
        if len(matches) > 1:
            found = ", ".join(f"{o.name} ({o.municipality})" for o in matches)
            raise CommandError(f"{len(matches)} organisations are called {name!r}: {found}.")
        organisation = matches[0]
        try:
            partner_kind_for(organisation)
        except PermissionDenied as exc:  # not a partner that delivers signals
            raise CommandError(str(exc)) from exc
        account = None
        if username := options["account"].strip():
            account = User.objects.filter(username=username).first()
            if account is None:
                raise CommandError(f"No account is called {username!r}. Check the username.")
        try:
            token, plain = api_token_create(
                organisation=organisation, label=label, account=account, by=None
            )
        except ValidationError as exc:  # the account is not the partner's
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"API token for {organisation} ({token.label}):")
        self.stdout.write(plain)
        self.stdout.write(
            self.style.WARNING(
                "Store it now and give it to the partner safely: it is not shown again."
            )
        )
