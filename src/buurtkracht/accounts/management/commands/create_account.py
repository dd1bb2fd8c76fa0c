"""`manage.py create_account USERNAME --email ADDRESS [--role ROLE ...] [--base-url URL]`:
the operator's way to make the first functional administrator (there is nobody yet to
approve a role), and `--new-link` to give an account a fresh activation link when its
link was lost or expired. Prints the link once; only its hash is stored. The account's
owner chooses the password and sets up two-step login through the link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from buurtkracht.accounts.activation import activation_issue, activation_path
from buurtkracht.accounts.models import RecoveryCode, Role, User
from buurtkracht.accounts.services import role_grant
from buurtkracht.audit.models import Action, Ground
from buurtkracht.audit.services import audit_record


class Command(BaseCommand):
    help = "Make an account (or a new activation link for one) and print the activation link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="", help="The owner's own work address.")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--role",
            action="append",
            default=[],
            choices=Role.values,
            help="A role to give at once (repeatable), such as functional_admin.",
        )
        parser.add_argument(
            "--new-link",
            action="store_true",
            help="The account exists: replace its open links with a new one. An activated "
            "account loses its password and two-step login (its owner sets them up anew).",
        )
        parser.add_argument(
            "--base-url",
            default="https://buurtkracht.example",
            help="The site's address, to print the whole link.",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"].strip()
        user = User.objects.filter(username=username).first()
        if options["new_link"]:
            if user is None:
                raise CommandError(f"No account is called {username!r}. Check the username.")
            TOTPDevice.objects.filter(user=user).delete()
            RecoveryCode.objects.filter(user=user).delete()
            user.set_unusable_password()
            user.save(update_fields=["password"])
        else:
            if user is not None:
                raise CommandError(
                    f"An account {username!r} exists already. Use --new-link to give it a "
                    "new activation link."
                )
            if not options["email"]:
                raise CommandError("Give the owner's own work address with --email.")
            user = User(
                username=username,
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
            user.set_unusable_password()
            user.save()
        for role in options["role"]:
            role_grant(user=user, role=role)
        audit_record(
            action=Action.UPDATE if options["new_link"] else Action.CREATE,
            obj=user,
            ground=Ground.ROLE,
            username="operator (create_account)",
            details={"operator": True, "roles": options["role"], "new_link": options["new_link"]},
        )
        token = activation_issue(user=user, by=None)
        link = options["base_url"].rstrip("/") + activation_path(token)
        self.stdout.write(
            f"Activation link for {username} (works once, 72 hours; give it to the owner "
            f"only):\n{link}"
        )
