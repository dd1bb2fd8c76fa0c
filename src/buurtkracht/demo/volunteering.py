"""Volunteer requests for the demo (all names invented).

A handful of volunteers of the volunteer centre besides the memorable `vrijwilliger`, and
about fifteen requests over the last four months for households with a plan, in every
state: three open ones waiting in the coordinator's queue, `vrijwilliger` matched to two
with visits recorded, other matches, ended matches and withdrawn requests. Where a
request is matched the resident's consent to share with that volunteer is recorded.
Written in bulk (as if imported from an earlier system, hence without audit events) so
the demo stays quick; every look at them in the demo is logged as usual.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from buurtkracht.accounts.models import Role, User
from buurtkracht.casework.models import Plan
from buurtkracht.core.models import Organisation
from buurtkracht.demo.clock import moment_on
from buurtkracht.demo.staff import StaffFactory
from buurtkracht.households.models import Consent, Household
from buurtkracht.volunteering.models import Visit, VolunteerRequest
from buurtkracht.volunteering.services import volunteer_name

Kind = VolunteerRequest.Kind
Status = VolunteerRequest.Status

EXTRA_VOLUNTEERS = 5
ASKED: dict[str, tuple[str, ...]] = {
    Kind.BUDDY: (
        "Een maatje om samen te wandelen of koffie te drinken, één keer per week.",
        "Iemand om mee naar de markt te gaan; ze komt weinig buiten sinds haar man overleed.",
    ),
    Kind.VISITOR: (
        "Eens per week een bezoekje en een praatje. Hij houdt van voetbal en puzzels.",
        "Bezoek op dinsdagmiddag; ze vindt het fijn om over vroeger te vertellen.",
    ),
    Kind.PAPERWORK: (
        "Hulp bij het ordenen van post en het invullen van formulieren, om de twee weken.",
        "Samen de brieven van de gemeente lezen en beantwoorden.",
    ),
    Kind.TRANSPORT: (
        "Vervoer naar het ziekenhuis op donderdagochtend, een paar keer.",
        "Rijden naar de fysiotherapeut, twee keer per week voor zes weken.",
    ),
    Kind.OTHER: ("Hulp bij het opknappen van het balkon, samen met de buren.",),
}
VISIT_NOTES = (
    "Koffie gedronken en een stukje gewandeld.",
    "Samen boodschappen gedaan.",
    "Post doorgenomen, twee brieven beantwoord.",
    "Naar de markt geweest, gezellig.",
    "",
)
# (days ago requested, status, hours to match, for `vrijwilliger`)
PLAN: tuple[tuple[int, str, int, bool], ...] = (
    (2, Status.OPEN, 0, False),
    (6, Status.OPEN, 0, False),
    (12, Status.OPEN, 0, False),
    (40, Status.MATCHED, 50, True),
    (75, Status.MATCHED, 120, True),
    (20, Status.MATCHED, 30, False),
    (33, Status.MATCHED, 70, False),
    (58, Status.MATCHED, 200, False),
    (90, Status.MATCHED, 96, False),
    (110, Status.ENDED, 150, False),
    (100, Status.ENDED, 60, False),
    (118, Status.ENDED, 300, False),
    (65, Status.WITHDRAWN, 0, False),
    (85, Status.WITHDRAWN, 0, False),
    (26, Status.MATCHED, 20, False),
)


def _volunteers(rng: random.Random) -> tuple[User, list[User]]:
    main = User.objects.get(username="vrijwilliger")
    organisation = (
        Organisation.objects.filter(kind=Organisation.Kind.VOLUNTEER_ORGANISATION).first()
        or main.organisation
    )
    if organisation is None:
        return main, [main]
    staff = StaffFactory(rng=rng, password_hash=main.password)
    staff.taken = set(User.objects.values_list("username", flat=True))
    others = [
        staff.user(organisation=organisation, job_title="vrijwilliger", role=Role.VOLUNTEER)
        for _ in range(EXTRA_VOLUNTEERS)
    ]
    return main, [main, *others]


@transaction.atomic
def volunteering_demo_create(*, seed: int) -> int:
    """The demo's volunteers and requests; returns the number of requests made."""
    rng = random.Random(f"buurtkracht-demo:{seed}:volunteering")
    if not User.objects.filter(username="vrijwilliger").exists():
        return 0
    main, everyone = _volunteers(rng)
    others = [v for v in everyone if v.pk != main.pk] or [main]
    coordinator = User.objects.filter(username="vrijwilligerscoordinator").first()
    resident_household_ids = list(
        Household.objects.filter(memberships__person__account__isnull=False).values_list(
            "pk", flat=True
        )
    )
    plans = list(
        Plan.objects.exclude(household_id__in=resident_household_ids)
        .select_related("household__address", "created_by")
        .order_by("household_id")
    )
    if not plans:
        return 0
    chosen = rng.sample(plans, k=min(len(PLAN), len(plans)))
    now = timezone.now()
    made = 0
    for plan, (days_ago, status, hours, for_main) in zip(chosen, PLAN, strict=False):
        household = plan.household
        person = (
            household.current_memberships().select_related("person").order_by("role", "pk").first()
        )
        if person is None:
            continue
        resident = person.person
        kind = rng.choice(list(ASKED))
        requested_at = now - dt.timedelta(days=days_ago, hours=rng.randint(0, 8))
        vrequest = VolunteerRequest(
            household=household,
            person=resident,
            kind=kind,
            asked=rng.choice(ASKED[kind]),
            share_address=rng.random() < 0.6,
            share_phone=bool(resident.phone) and rng.random() < 0.5,
            requested_by=plan.created_by,
            requested_at=requested_at,
            status=status,
        )
        if status in (Status.MATCHED, Status.ENDED):
            volunteer = main if for_main else rng.choice(others)
            vrequest.volunteer = volunteer
            vrequest.matched_at = requested_at + dt.timedelta(hours=hours)
            vrequest.matched_by = coordinator
            Consent.objects.create(
                person=resident,
                purpose=Consent.Purpose.SHARE_WITH_VOLUNTEER,
                counterpart=volunteer_name(volunteer),
                given=True,
                method=Consent.Method.SPOKEN,
                recorded_at=vrequest.matched_at - dt.timedelta(hours=1),
                recorded_by=plan.created_by,
            )
        if status == Status.ENDED:
            vrequest.ended_at = now - dt.timedelta(days=rng.randint(3, 20))
            vrequest.end_reason = rng.choice(
                ("Ze redt het nu zelf.", "Verhuisd naar een andere gemeente.", "Doel bereikt.")
            )
        if status == Status.WITHDRAWN:
            vrequest.ended_at = requested_at + dt.timedelta(days=rng.randint(2, 10))
            vrequest.end_reason = "Een buurvrouw helpt al."
        vrequest.save()
        made += 1
        if vrequest.volunteer is not None and vrequest.matched_at is not None:
            last = (vrequest.ended_at or now).date()
            day = vrequest.matched_at.date() + dt.timedelta(days=rng.randint(2, 6))
            visits = []
            while day <= last and day <= timezone.localdate():
                visits.append(
                    Visit(
                        request=vrequest,
                        volunteer=vrequest.volunteer,
                        date=day,
                        minutes=rng.choice((45, 60, 60, 90, 120)),
                        note=rng.choice(VISIT_NOTES),
                        worker_should_know=False,
                        recorded_at=moment_on(day, 17),
                    )
                )
                day += dt.timedelta(days=rng.choice((7, 7, 14)))
            if visits and for_main:
                # One recent line for the worker: what "Mijn werk" is for.
                visits[-1].note = "Ze maakt zich zorgen over een brief van de woningstichting."
                visits[-1].worker_should_know = True
            Visit.objects.bulk_create(visits)
    return made
