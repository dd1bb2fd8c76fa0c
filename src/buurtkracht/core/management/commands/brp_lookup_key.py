"""`manage.py brp_lookup_key --bsn 123456782` (or `--surname Kaya`): the key under which the
audit log records a BRP lookup with this term (docs/register.md, "Zoek in de BRP"), for a
privacy officer answering a resident's "was I looked up in the BRP?". The term itself is
never in the log; read it from the resident, not from the log."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from buurtkracht.core.search_terms import terms_key
from buurtkracht.core.validators import normalise_bsn


class Command(BaseCommand):
    help = "Print the audit-log key of a BRP lookup by this BSN or surname."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--bsn")
        group.add_argument("--surname")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["bsn"]:
            try:
                bsn = normalise_bsn(options["bsn"])
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            self.stdout.write(f"bsn_key: {terms_key(bsn)}   (details.terms.bsn_key)")
        else:
            key = terms_key(options["surname"])
            self.stdout.write(f"surname_key: {key}   (details.terms.surname_key)")
