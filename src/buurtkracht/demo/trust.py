"""Who works with which households, what residents consented to, and a few looks at files,
so the demo shows need-to-know access at work: `wijkwerker` leads a dozen households of
Team Oost (the `bewoner` household among them), colleagues lead others, consent is given
and once withdrawn, and an emergency access by `collega` waits for review.

Deterministic for a seed; it works through the same services as the pages, so every step
is in the audit log like real work would be.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from buurtkracht.accounts.models import Role, TeamMembership, User
from buurtkracht.audit.anchors import Anchor, anchor_write, anchors_restart
from buurtkracht.audit.models import Action, Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.audit.verification import verify_log
from buurtkracht.core.models import Organisation, Team
from buurtkracht.demo.clock import moment_on
from buurtkracht.demo.staff import HOME_TEAM
from buurtkracht.households.consent import consent_record, consent_withdraw
from buurtkracht.households.grants import involvement_grant
from buurtkracht.households.models import (
    Consent,
    EmergencyAccess,
    GrantPath,
    Household,
    Involvement,
    Person,
)
from buurtkracht.households.services import emergency_access_start

# Households each worker leads, and how many of those have a co-worker too.
CASELOAD = 8
HOME_WORKER_CASELOAD = 12
CO_WORKER_SHARE = 0.25
RELATIONS = ("broer", "zus", "buurvrouw", "dochter", "vriend")
NETWORK_NAMES = ("Mehmet", "Sanne", "Joke", "Priya", "Kofi", "Marieke", "Youssef")


def _members(household: Household) -> list[Person]:
    return list(Person.objects.filter(memberships__household=household).order_by("pk"))


def _team_households(team: Team, limit: int, skip: set[int]) -> list[Household]:
    return list(
        Household.objects.filter(address__neighbourhood__teams=team)
        .exclude(pk__in=skip)
        .order_by("pk")[: limit + len(skip)]
    )


@transaction.atomic
def trust_story_create(*, seed: int, today: dt.date | None = None) -> dict[str, int]:
    """Add involvements, consents, looks and one emergency access to a generated town."""
    rng = random.Random(f"buurtkracht-demo:{seed}:trust")
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=120)
    worker = User.objects.get(username="wijkwerker")
    resident_user = User.objects.filter(username="bewoner").select_related("person").first()
    taken: set[int] = set()
    counts = {"involvements": 0, "consents": 0}

    memberships = list(
        TeamMembership.objects.filter(position=TeamMembership.Position.WORKER)
        .select_related("team", "user")
        .order_by("team__name", "user__username")
    )
    recent = False
    leaders = {
        m.team_id: m.user
        for m in TeamMembership.objects.filter(
            position=TeamMembership.Position.TEAM_LEADER
        ).select_related("user")
    }
    # `wijkwerker` first, so the `bewoner` household is theirs whoever else is in the team.
    memberships.sort(key=lambda m: m.user_id != worker.pk)
    for membership in memberships:
        limit = HOME_WORKER_CASELOAD if membership.user == worker else CASELOAD
        households = [
            h for h in _team_households(membership.team, limit, taken) if h.pk not in taken
        ]
        if membership.user == worker and resident_user and resident_user.person:
            own = Household.objects.filter(memberships__person=resident_user.person).first()
            if own is not None and own.pk not in taken:
                households = [own, *(h for h in households if h.pk != own.pk)]
        colleagues = [
            m.user
            for m in memberships
            if m.team_id == membership.team_id and m.user_id != membership.user_id
        ]
        # The team leader assigned each of them (households/grants.py): the grants of the
        # last two weeks are on `teamleider`'s start page.
        leader = leaders[membership.team_id]  # every demo team has its leader
        for index, household in enumerate(households[:limit]):
            taken.add(household.pk)
            start = since + dt.timedelta(days=rng.randrange(0, 110))
            home_colleague = membership.team.name == HOME_TEAM and membership.user != worker
            if index == 0 and not recent and home_colleague:
                # One assigned three days ago, so `teamleider`'s start page lists it.
                start = today - dt.timedelta(days=3)
                recent = True
            involvement_grant(
                household=household,
                worker=membership.user,
                kind=Involvement.Kind.LEAD,
                via=GrantPath.INTAKE,
                by=leader,
                team=membership.team,
                at=moment_on(start, 10),
            )
            counts["involvements"] += 1
            if colleagues and rng.random() < CO_WORKER_SHARE:
                joined = min(start + dt.timedelta(days=rng.randrange(1, 30)), today)
                involvement_grant(
                    household=household,
                    worker=rng.choice(colleagues),
                    kind=Involvement.Kind.CO_WORKER,
                    via=GrantPath.INTAKE,
                    by=leader,
                    team=membership.team,
                    at=moment_on(joined, 14, 30),
                )
                counts["involvements"] += 1

    # Consent in the home worker's households: the corporation may hear the outcome, a
    # brother is involved, a volunteer may know the address; one resident withdrew.
    corporation = Organisation.objects.filter(kind=Organisation.Kind.HOUSING_CORPORATION).first()
    lead_households = Household.objects.filter(
        involvements__worker=worker, involvements__kind=Involvement.Kind.LEAD
    ).order_by("pk")
    for index, household in enumerate(lead_households):
        members = _members(household)
        if not members:
            continue
        head = members[0]
        audit_record(
            action=Action.READ,
            user=worker,
            subjects=[m.pk for m in members],
            obj=household,
            ground=Ground.INVOLVEMENT,
            details={"page": "household", "demo": True},
        )
        if corporation and index % 2 == 0:
            consent_record(
                person=head,
                purpose=Consent.Purpose.SHARE_WITH_ORGANISATION,
                organisation=corporation,
                given=True,
                method=Consent.Method.WRITTEN,
                recorded_by=worker,
                valid_until=today + dt.timedelta(days=365),
            )
            counts["consents"] += 1
        if index % 3 == 0:
            given = consent_record(
                person=head,
                purpose=Consent.Purpose.INVOLVE_NETWORK_MEMBER,
                counterpart=f"{rng.choice(RELATIONS)} {rng.choice(NETWORK_NAMES)}",
                given=True,
                method=Consent.Method.SPOKEN,
                recorded_by=worker,
            )
            counts["consents"] += 1
            if index == 3:
                consent_withdraw(consent=given, recorded_by=worker, method=Consent.Method.SPOKEN)
                counts["consents"] += 1

    # An evening crisis: `collega` of Team West opens a Team Oost file with emergency
    # access. It has expired by now and waits for `teamleider` and `privacy` to review.
    colleague = User.objects.filter(username="collega").first()
    target = (
        Household.objects.filter(address__neighbourhood__teams__name="Team Oost")
        .filter(~Q(involvements__worker=colleague))
        .order_by("pk")
        .first()
    )
    if colleague and target and colleague.has_role(Role.WORKER):
        access = emergency_access_start(
            worker=colleague,
            household=target,
            reason=(
                "Mevrouw belde 's avonds in paniek over een afsluiting van de stroom morgen; "
                "Team Oost was niet bereikbaar."
            ),
        )
        EmergencyAccess.objects.filter(pk=access.pk).update(expires_at=timezone.now())
    return counts


def audit_log_anchored() -> Anchor:
    """The demo's database is new, so an anchor file left from an earlier town is put
    aside (renamed, not removed); then the fresh log is verified and anchored, and the
    privacy officer's audit page shows an anchored chain that verifies."""
    anchors_restart()
    report = verify_log()
    return anchor_write(verified=report.ok)
