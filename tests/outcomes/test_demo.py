"""The demo town has pictures of progress: intake and review for every plan, and story 2's
ladder for the `bewoner` household."""

from __future__ import annotations

import pytest
from django.test import Client

from buurtkracht.accounts.models import User
from buurtkracht.casework.models import Plan
from buurtkracht.demo.generator import generate_municipality
from buurtkracht.outcomes.models import Assessment

pytestmark = pytest.mark.django_db


def test_the_demo_has_assessments_for_every_plan() -> None:
    generate_municipality(seed=3, households=300, batch_size=300, progress=False)
    plans = Plan.objects.count()
    assert plans > 0
    with_assessments = Assessment.objects.values("household").distinct().count()
    assert with_assessments == plans
    moments = set(Assessment.objects.values_list("moment", flat=True))
    assert {"intake", "review"} <= moments
    perspectives = set(Assessment.objects.values_list("perspective", flat=True))
    assert perspectives == {"worker", "resident"}
    # Movement, mostly forward: more review ZRM scores above their intake than below.
    up = down = 0
    for household in Assessment.objects.values_list("household", flat=True).distinct():
        zrm = list(
            Assessment.objects.filter(
                household=household,
                perspective="worker",
                instrument_version__instrument__code="zrm",
            ).order_by("held_on")
        )
        first, last = zrm[0].scores, zrm[-1].scores
        up += sum(1 for d in first if last.get(d, 0) > first[d])
        down += sum(1 for d in first if last.get(d, 0) < first[d])
    assert up > down

    resident = User.objects.get(username="bewoner")
    ladder = list(
        Assessment.objects.filter(
            person=resident.person, instrument_version__instrument__code="participation_ladder"
        ).order_by("held_on")
    )
    assert [a.scores["rung"] for a in ladder] == [1, 2, 3]
    client = Client()
    client.force_login(resident)
    response = client.get(f"/huishoudens/{ladder[0].household_id}/voortgang/")
    assert response.status_code == 200
    assert "Georganiseerde activiteiten" in response.content.decode()


def test_the_demo_report_has_stories_with_consent_only() -> None:
    import datetime as dt

    from django.utils import timezone

    from buurtkracht.outcomes.models import Story
    from buurtkracht.outcomes.reports import Period, outcome_report
    from buurtkracht.outcomes.stories import consented_people

    generate_municipality(seed=3, households=300, batch_size=300, progress=False)
    today = timezone.localdate()
    report = outcome_report(period=Period(today - dt.timedelta(days=364), today))
    titles = {story.title for story in report.stories.stories}
    assert "Ik hoor er weer bij" in titles  # the bewoner's own story, with their consent
    about = Story.objects.filter(about__isnull=False)
    assert about.count() > 5
    consenting = consented_people(about.values_list("about_id", flat=True))
    # Some residents did not give consent: their stories stay out of the report.
    assert 0 < len(consenting) < about.count()
    shown_about = {s.about_id for s in report.stories.stories if s.about_id}
    assert shown_about <= consenting
    assert report.stories.total < Story.objects.count()

    # The figures as published (core.disclosure): every count a multiple of five, and
    # still a picture of the town: plans and actions in several neighbourhoods.
    tables = {table.id: table for table in report.tables}
    for table in report.tables:
        for line in table.lines()[1:]:
            counts = [v for v in line[1:] if isinstance(v, int)]
            assert all(v % 5 == 0 for v in counts), (table.id, line)
    plans = tables["plans"]
    assert plans.total is not None and int(plans.total.figures[0].export) > 0
    assert sum(1 for row in tables["steps"].rows if row.figures[-1].export) >= 2
