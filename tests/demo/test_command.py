"""`manage.py generate_municipality`: options, summary, refusal, progress on stderr."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from buurtkracht.core.models import Municipality
from buurtkracht.demo.generator import DEMO_PASSWORD
from buurtkracht.households.models import Household

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("generate_municipality", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_generates_and_prints_a_summary() -> None:
    out, _ = run("--households", "40", "--seed", "5", "--batch-size", "7", "--no-progress")
    assert Household.objects.filter(memberships__isnull=False).distinct().count() == 40
    assert "Lindenhoven" in out and "GM9901" in out
    assert "40" in out
    assert DEMO_PASSWORD in out
    for username in (
        "bewoner",
        "wijkwerker",
        "collega",
        "teamleider",
        "partner",
        "partner-energie",
        "beheer",
    ):
        assert f"  {username} " in out


def test_command_refuses_to_run_twice() -> None:
    run("--households", "10", "--no-progress")
    with pytest.raises(CommandError, match="Lindenhoven"):
        run("--households", "10", "--no-progress")
    assert Municipality.objects.count() == 1
    assert Household.objects.filter(memberships__isnull=False).distinct().count() == 10


def test_command_rejects_a_household_count_below_one() -> None:
    with translation.override("en"), pytest.raises(CommandError, match="at least 1"):
        call_command("generate_municipality", "--households", "0", stdout=StringIO())
    assert not Municipality.objects.exists()


def test_progress_bar_goes_to_stderr_not_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = run("--households", "30")
    captured = capsys.readouterr()
    assert "30/30" in captured.err
    assert "30/30" not in out
