"""`python -m tests.interrupted_manage MODULE:FUNCTION ARGS…`: run `manage.py ARGS…` with
MODULE.FUNCTION replaced by one that is interrupted (as by Ctrl+C or a killed process)
when called. Tests use it to prove that a demo build stopped halfway leaves no half town."""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any


def main() -> None:
    target = sys.argv[1]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtkracht.conf.dev")
    import django

    django.setup()
    module_name, function = target.split(":")
    module = importlib.import_module(module_name)

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt(f"interrupted in {target}")

    setattr(module, function, interrupted)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["manage.py", *sys.argv[2:]])


if __name__ == "__main__":
    main()
