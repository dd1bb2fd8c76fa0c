"""Need-to-know: the one module that decides who may read which resident data.

Every read of resident data starts here: household files (and what hangs off them — plans,
conversations, network maps, referrals, stories, volunteer requests of the household —
which views reach through `households.guard.household_for_request`), and the signal
reports of the outreach list. Each function says on what ground a look holds, so the
audit log records the ground decided here, once.

**Household files.** A user may read a household's file on one of these grounds (checked
in this order, the first that holds is the one logged):

- own data: a resident reads their own household;
- involvement: the worker is the lead worker or a co-worker of the household (made only
  through `households/grants.py`, on the team leader's or the team's own say);
- team leader: the user leads a team that serves the household's neighbourhood;
- team: the user works in such a team AND the municipality allows team-wide reading;
- emergency: the worker opened the file with emergency access that has not expired.

Every other user — colleague of another team, volunteer, partner liaison, policy advisor,
privacy officer, functional administrator — has no ground and gets a 404, so that not even
the existence of a file is revealed. Volunteers, partners and policy advisors reach their
own narrower views (assigned requests, own deliveries, aggregates) through their own
modules, never through a household file.

**Signal reports** (Eropaf). The signal officer (signaalregisseur) processes every signal
of the municipality: all reports, on the ground of their role. Workers and team leaders
see the reports routed to the teams they work in now, on the ground of their team.
Everybody else: nothing (404). Seeing a report is no ground to read the household's file.

**Decisions under a mandate** (issue 20). A partner liaison reads the decisions taken
under their own organisation's mandates, with the resident's name and date of birth
(`mandate_partner_organisation`); no other organisation's, nothing else of the file.

**Volunteer requests** (consent). A volunteer sees the resident of a request they are
matched to only while the resident's newest consent to share with them — by the name the
consent was given to — holds (`shared_with_volunteer`); a withdrawal counts at once.

This module takes the querysets it narrows and imports no model of its own app, so that
`households.models` can build `Household.objects.visible_to` on it without an import cycle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from buurtkracht.accounts.models import Role, TeamMembership, User
from buurtkracht.accounts.queries import current_teams
from buurtkracht.audit.models import Ground
from buurtkracht.core.queries import in_force

M = TypeVar("M", bound=Model)


def _team_ids(user: User, position: str | None = None) -> list[int]:
    return list(current_teams(user, position).values_list("pk", flat=True))


def _involvement(user: User, today: dt.date) -> Q:
    """Households `user` is the lead worker or a co-worker of today."""
    return Q(involvements__worker=user) & in_force(today, prefix="involvements__")


def ground_conditions(user: User) -> list[tuple[str, Q]]:
    """Each ground `user` could have, with the household filter that makes it hold, in the
    order of the module docstring. Empty for a user who can read no household file."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    today = timezone.localdate()
    is_worker = user.has_role(Role.WORKER)
    is_leader = user.has_role(Role.TEAM_LEADER)
    grounds: list[tuple[str, Q]] = []
    if user.person_id and user.has_role(Role.RESIDENT):
        grounds.append(
            (
                Ground.OWN_DATA,
                Q(memberships__person_id=user.person_id) & in_force(today, prefix="memberships__"),
            )
        )
    if is_worker or is_leader:
        grounds.append((Ground.INVOLVEMENT, _involvement(user, today)))
    if is_leader:
        led = _team_ids(user, TeamMembership.Position.TEAM_LEADER)
        if led:
            grounds.append((Ground.TEAM_LEADER, Q(address__neighbourhood__teams__in=led)))
    if is_worker:
        teams = _team_ids(user)
        if teams:
            grounds.append(
                (
                    Ground.TEAM,
                    Q(
                        address__neighbourhood__teams__in=teams,
                        address__neighbourhood__municipality__team_wide_reading=True,
                    ),
                )
            )
    if is_worker or is_leader:
        grounds.append(
            (
                Ground.EMERGENCY,
                Q(
                    emergency_accesses__worker=user,
                    emergency_accesses__expires_at__gt=timezone.now(),
                ),
            )
        )
    return grounds


def visible_households(user: User, queryset: QuerySet[M]) -> QuerySet[M]:
    """Narrow `queryset` to the households `user` may read."""
    grounds = ground_conditions(user)
    if not grounds:
        return queryset.none()
    combined = grounds[0][1]
    for _ground, condition in grounds[1:]:
        combined |= condition
    # The ids come from a subquery so that the joins never duplicate rows or disturb the
    # caller's ordering, annotations or select_related.
    ids = queryset.model._default_manager.filter(combined).values("pk")
    return queryset.filter(pk__in=ids)


def own_households(user: User, queryset: QuerySet[M]) -> QuerySet[M]:
    """Narrow `queryset` to the households `user` lives in today: the own-data ground only,
    so that a resident who also works here sees their own file, not their caseload."""
    for ground, condition in ground_conditions(user):
        if ground == Ground.OWN_DATA:
            ids = queryset.model._default_manager.filter(condition).values("pk")
            return queryset.filter(pk__in=ids)
    return queryset.none()


def involved_households(user: User, queryset: QuerySet[M]) -> QuerySet[M]:
    """Narrow `queryset` to the households `user` is involved in today (lead or co-worker):
    the involvement ground alone, for a worker's own lists in "Mijn werk"."""
    ids = queryset.model._default_manager.filter(_involvement(user, timezone.localdate()))
    return queryset.filter(pk__in=ids.values("pk"))


def household_ground(user: User, household: Model) -> str | None:
    """On what ground `user` may read `household`, or None. This is what the audit log
    records, so the first ground that holds, in the order of the module docstring."""
    base = type(household)._default_manager.filter(pk=household.pk)
    for ground, condition in ground_conditions(user):
        if base.filter(condition).exists():
            return ground
    return None


def household_grounds(user: User, households: Sequence[Model]) -> dict[int, str]:
    """For each of `households` that `user` may read, the ground `household_ground` would
    give (the first that holds): one query per ground, whatever the number of households,
    for lists that show why a file is visible (the search box)."""
    if not households:
        return {}
    ids = [household.pk for household in households]
    everyone = type(households[0])._default_manager
    grounds: dict[int, str] = {}
    for ground, condition in ground_conditions(user):
        remaining = [pk for pk in ids if pk not in grounds]
        if not remaining:
            break
        for pk in everyone.filter(condition, pk__in=remaining).values_list("pk", flat=True):
            grounds.setdefault(pk, ground)
    return grounds


def reviewable_emergency_accesses(user: User, accesses: QuerySet[M]) -> QuerySet[M] | None:
    """The uses of emergency access (out of `accesses`) this user reviews: all of them for
    the privacy officer, those on households in the neighbourhoods of teams they lead now
    for a team leader. Nobody reviews their own. None for everyone else."""
    everyone = accesses.model._default_manager
    accesses = accesses.exclude(worker=user)
    if user.has_role(Role.PRIVACY_OFFICER):
        return accesses
    if user.has_role(Role.TEAM_LEADER):
        led = _team_ids(user, TeamMembership.Position.TEAM_LEADER)
        ids = everyone.filter(household__address__neighbourhood__teams__in=led)
        return accesses.filter(pk__in=ids.values("pk"))
    return None


def is_signal_officer(user: User) -> bool:
    return bool(user.is_authenticated and user.has_role(Role.SIGNAL_OFFICER))


def may_do_outreach(user: User) -> bool:
    """Whether `user` has an outreach list at all (worker, team leader, signal officer)."""
    return bool(
        user.is_authenticated
        and (
            user.has_role(Role.WORKER)
            or user.has_role(Role.TEAM_LEADER)
            or user.has_role(Role.SIGNAL_OFFICER)
        )
    )


def report_ground(user: User) -> str | None:
    """On what ground `user` reads the signal reports `visible_reports` gives them: their
    role for the signal officer, their team for workers and team leaders; None if none."""
    if not may_do_outreach(user):
        return None
    return Ground.ROLE if is_signal_officer(user) else Ground.TEAM


def visible_reports(user: User, reports: QuerySet[M]) -> QuerySet[M]:
    """Narrow `reports` (signal reports) to those `user` may read: all for the signal
    officer, those routed to a team the user works in today for workers and team leaders."""
    ground = report_ground(user)
    if ground is None:
        return reports.none()
    if ground == Ground.ROLE:
        return reports
    return reports.filter(team__in=current_teams(user))


class OfAResident(Protocol):
    """A record about one resident, such as a volunteer request."""

    @property
    def person_id(self) -> int: ...


R = TypeVar("R", bound=OfAResident)


def shared_with_volunteer(records: list[R], *, counterpart: str) -> list[R]:
    """Narrow `records` (volunteer requests matched to one volunteer) to those whose
    resident's consent to share with that volunteer holds today, `counterpart` being the
    name the consent names them by. One query however many records."""
    # The consent register reads the models of this app, which import this module.
    from buurtkracht.households.consent import (
        Purpose,
        consent_current_per_person,
        consent_is_valid,
    )

    consents = consent_current_per_person(
        person_ids={r.person_id for r in records},
        purpose=Purpose.SHARE_WITH_VOLUNTEER,
        counterpart=counterpart,
    )
    return [r for r in records if consent_is_valid(consents.get(r.person_id))]


# Grounds on which a user may change what is in a household's file (the plan, contacts,
# the network map, referrals, stories): the workers involved and the team leader. Team-wide
# reading, emergency access and the resident's own look read only.
WRITE_GROUNDS = frozenset({Ground.INVOLVEMENT, Ground.TEAM_LEADER})


def can_write(ground: str | None) -> bool:
    """May a user who sees the file on `ground` also change it?"""
    return ground in WRITE_GROUNDS


def _adult_since(on: dt.date) -> dt.date:
    """Born on or before this day: 18 or older on `on`."""
    try:
        return on.replace(year=on.year - 18)
    except ValueError:  # 29 February
        return on.replace(year=on.year - 18, day=28)


def conference_grounds(
    user: User, households: Sequence[Model], *, on: dt.date | None = None
) -> dict[int, str]:
    """Case conferences: for each of `households` on an agenda, the ground on which `user`
    may read it by name; a household absent from the answer is brought to them anonymised.

    A ground to the file counts first (`household_grounds`: the lead worker, co-workers, the
    team leader, team colleagues where the municipality allows team-wide reading). An
    outside professional (staff of a partner organisation) reads a case by name on the
    ground of consent: while every current adult member of the household has a valid
    consent to share with their organisation (the consent register decides; the newest
    entry counts, so a withdrawal holds at once). Everyone else: anonymised. A fixed number
    of queries however many households."""
    grounds = household_grounds(user, households)
    organisation_id = getattr(user, "organisation_id", None)
    rest = [household.pk for household in households if household.pk not in grounds]
    if not rest or organisation_id is None or not user.has_role(Role.OUTSIDE_PROFESSIONAL):
        return grounds
    # The consent register reads the models of this app, which import this module.
    from buurtkracht.households.consent import (
        Purpose,
        consent_current_per_person,
        consent_is_valid,
    )
    from buurtkracht.households.models import Membership

    on = on or timezone.localdate()
    adults: dict[int, list[int]] = {pk: [] for pk in rest}
    memberships = Membership.objects.filter(in_force(on), household_id__in=rest).filter(
        Q(person__date_of_birth__isnull=True) | Q(person__date_of_birth__lte=_adult_since(on))
    )
    for household_id, person_id in memberships.values_list("household_id", "person_id"):
        adults[household_id].append(person_id)
    consents = consent_current_per_person(
        person_ids={pk for people in adults.values() for pk in people},
        purpose=Purpose.SHARE_WITH_ORGANISATION,
        organisation=user.organisation,
    )
    for household_id, people in adults.items():
        if people and all(consent_is_valid(consents.get(pk), on) for pk in people):
            grounds[household_id] = Ground.CONSENT
    return grounds


def mandate_partner_organisation(user: User) -> int | None:
    """The organisation whose decisions under a mandate `user` reads (issue 20,
    docs/mandates.md): a partner liaison reads the decisions the teams took under their
    own organisation's mandates — the resident's name and date of birth with each, so
    that the organisation can find its customer and turn the decision into its own — and
    nothing else of the file. Ground: the role, on behalf of that organisation. None for
    everyone else."""
    if not user.is_authenticated or not user.is_active or not user.has_role(Role.PARTNER_LIAISON):
        return None
    return user.organisation_id
