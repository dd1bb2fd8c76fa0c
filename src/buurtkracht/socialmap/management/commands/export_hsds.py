"""`django-admin export_hsds [--output FILE]`: the published social map as HSDS 3 JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from buurtkracht.socialmap.services import hsds_export


class Command(BaseCommand):
    help = "Export the published social map in Open Referral HSDS 3 JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", type=Path, help="File to write; default: stdout.")

    def handle(self, *args: Any, **options: Any) -> None:
        text = json.dumps(hsds_export(), ensure_ascii=False, indent=2)
        if options.get("output"):
            options["output"].write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)
