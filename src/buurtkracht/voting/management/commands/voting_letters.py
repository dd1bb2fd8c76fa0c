"""Make the codes of a voting round and write the one download (PDF letters and the mail
house CSV, zipped) to a file: for districts too large to wait for in the browser (fpdf2
writes about 100 letters a second)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from buurtkracht.voting.letters import letters_zip
from buurtkracht.voting.models import VotingRound
from buurtkracht.voting.services import codes_generate


class Command(BaseCommand):
    help = "Make the voting codes of a round and write the letters (ZIP) to a file, once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("round", type=int, help="id of the voting round")
        parser.add_argument("output", type=Path, help="where to write the ZIP file")
        parser.add_argument(
            "--url", required=True, help="the voting address printed on the letters"
        )
        parser.add_argument(
            "--again",
            action="store_true",
            help="make the letters anew for a round not yet open; earlier codes stop working",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        voting_round = VotingRound.objects.filter(pk=options["round"]).first()
        if voting_round is None:
            raise CommandError("No such voting round.")
        output: Path = options["output"]
        if output.exists():
            raise CommandError(f"{output} exists already; choose a new file.")
        try:
            letters = codes_generate(voting_round=voting_round, again=options["again"])
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        output.write_bytes(letters_zip(voting_round, letters, options["url"]))
        self.stdout.write(f"{len(letters)} letters written to {output}")
