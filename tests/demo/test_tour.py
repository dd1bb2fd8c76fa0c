"""The README's first tour matches what the demo shows (issue 13: its numbers and "the
first household" had drifted from the demo). Each claim is read from the README and held
against a freshly generated demo, so changing either one alone makes this fail."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import RequestFactory
from django.utils import timezone

from buurtkracht.accounts.models import User
from buurtkracht.casework.intake import intakes_for
from buurtkracht.casework.message_queries import my_work_section as messages_my_work
from buurtkracht.casework.message_queries import unread_counts
from buurtkracht.casework.models import Appointment
from buurtkracht.core.names import fold
from buurtkracht.demo.generator import generate_municipality
from buurtkracht.demo.staff import MEMORABLE_ACCOUNTS
from buurtkracht.demo.voting import voting_demo_codes
from buurtkracht.households.models import Household, Involvement, Membership
from buurtkracht.households.queries import SearchTerms, my_involvements, search_households
from buurtkracht.signals.models import Delivery, Report

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
TOUR = README.split("### First tour", 1)[1].split("## Production", 1)[0]
WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "twelve": 12}


def claimed(pattern: str) -> int:
    """The number word the tour uses in `pattern` (one group), as a number."""
    found = re.search(pattern, re.sub(r"\s+", " ", TOUR))
    assert found, f"The tour no longer says {pattern!r}: update this test with it."
    return WORDS[found.group(1)]


def test_the_tour_tells_what_the_demo_shows() -> None:
    generate_municipality(seed=1, households=400, progress=False)
    worker = User.objects.get(username="wijkwerker")
    resident = User.objects.get(username="bewoner")

    # Step 2: the households the worker leads, the resident's first.
    led = [i for i in my_involvements(worker) if i.kind == Involvement.Kind.LEAD]
    assert len(led) == claimed(r"the (\w+) households you lead")
    first = next(iter(my_involvements(worker)))
    assert first.household == Household.objects.get(memberships__person=resident.person)

    # Step 2: the worker's appointments tomorrow (the reminder list of Mijn werk), one
    # of the coming ones cancelled, and story 1's home visit in the past.
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    theirs = Appointment.objects.filter(workers=worker)
    assert sum(1 for a in theirs if timezone.localdate(a.starts_at) == tomorrow) == claimed(
        r"(\w+) appointments tomorrow"
    )
    assert theirs.filter(cancelled_at__isnull=False, starts_at__gt=timezone.now()).count() == 1
    assert first.household.appointments.filter(ends_at__lt=timezone.now()).exists()

    # Step 3: who else is involved in story 1: a co-worker, the debt counsellor with whom
    # data is shared, the wijkagent with whom nothing is shared.
    assert "a co-worker from the team and two professionals from outside" in re.sub(
        r"\s+", " ", TOUR
    )
    story = first.household
    assert story.involvements.filter(kind="co_worker", end_date__isnull=True).count() == 1
    professionals = list(story.outside_professionals.filter(end_date__isnull=True))
    assert sorted((p.role, p.shares_data) for p in professionals) == [
        ("Schuldhulpverlener", True),
        ("Wijkagent", False),
    ]
    # Step 2: the search box finds the resident's household by the first letters of the
    # surname; a worker of another team does not find it.
    assert resident.person is not None
    prefix = SearchTerms(words=(fold(resident.person.surname).split()[0][:3],))
    assert first.household in [f.household for f in search_households(worker, prefix).found]
    colleague = User.objects.get(username="collega")
    assert first.household not in [f.household for f in search_households(colleague, prefix).found]

    # Step 3: the register's birth in a household the worker leads.
    assert re.search(r"In another household you lead a baby was born", re.sub(r"\s+", " ", TOUR))
    newborn = Membership.objects.filter(
        household__in=[i.household for i in led],
        role=Membership.Role.CHILD,
        from_register=True,
        person__date_of_birth__gte=timezone.localdate() - dt.timedelta(days=60),
    )
    assert newborn.count() == 1

    # Step 4: the team leader's new intakes.
    leader = User.objects.get(username="teamleider")
    assert intakes_for(leader).count() == claimed(r"holds (\w+) new intakes for Team Oost")

    # Step 5: the partner's last upload and the monitor's months.
    last = (
        Delivery.objects.filter(organisation__kind="housing_corporation")
        .order_by("-received_at", "-pk")
        .first()
    )
    assert last is not None
    assert last.rows_rejected == claimed(r"the last delivery has (\w+) waiting")
    months = Report.objects.values("month").distinct().count()
    assert months == claimed(r"Signaalmonitor\* — (\w+) months of figures")

    # Step 7: the letter codes work in the open round.
    for code in voting_demo_codes(seed=1):
        assert f"`{code}`" in TOUR

    # Step 9: the resident's conversation with wijkwerker, their last message unread.
    assert "last message not yet read by `wijkwerker`" in re.sub(r"\s+", " ", TOUR)
    assert unread_counts(worker, [first.household.pk]) == {first.household.pk: 1}
    assert unread_counts(resident, [first.household.pk]) == {}
    request: Any = RequestFactory().get("/")
    request.user = worker
    assert [w.household for w in messages_my_work(request)] == [first.household]

    # The account table names every memorable account, and nothing else.
    table = set(re.findall(r"^\| `([a-z-]+)` \|", README, flags=re.M))
    assert table == {username for username, _role in MEMORABLE_ACCOUNTS}
