"""`python -m tests.clocked_manage ISO-MOMENT ARGS…`: run `manage.py ARGS…` with the clock
set to ISO-MOMENT and ticking on from there. Tests use it to start the demo at an awkward
instant (tests/clock.py) without waiting for the real clock to get there."""

from __future__ import annotations

import datetime as dt
import os
import sys

import time_machine


def main() -> None:
    moment = dt.datetime.fromisoformat(sys.argv[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtkracht.conf.dev")
    from django.core.management import execute_from_command_line

    with time_machine.travel(moment, tick=True):
        execute_from_command_line(["manage.py", *sys.argv[2:]])


if __name__ == "__main__":
    main()
