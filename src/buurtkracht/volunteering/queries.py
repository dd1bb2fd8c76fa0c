"""Reads for volunteer requests: what a volunteer (and the coordinator) may see of a
resident, the queue, the time to match, and the few lines on "Mijn werk"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

from buurtkracht.accounts.models import Role, User
from buurtkracht.households.models import Household
from buurtkracht.households.visibility import shared_with_volunteer
from buurtkracht.volunteering.models import Visit, VolunteerRequest, duration_label

if TYPE_CHECKING:
    from buurtkracht.accounts.types import AuthenticatedRequest

AVERAGE_PERIOD_DAYS = 91  # "the last three months" on the coordinator's list
FLAGGED_VISITS_DAYS = 14


@dataclass(frozen=True)
class SharedView:
    """Everything of a resident that the volunteer may know, and nothing more: the first
    name and the neighbourhood always, the address and phone only when the resident
    agreed, and the request text the worker wrote for the volunteer."""

    first_name: str
    neighbourhood: str
    address: str
    phone: str
    kind: str
    asked: str


def shared_view(vrequest: VolunteerRequest) -> SharedView:
    household = vrequest.household
    address = household.address
    return SharedView(
        first_name=vrequest.first_name,
        neighbourhood=address.neighbourhood.name if address.neighbourhood else "",
        address=f"{address.street_line}, {address.town}" if vrequest.share_address else "",
        phone=vrequest.person.phone if vrequest.share_phone else "",
        kind=vrequest.get_kind_display(),
        asked=vrequest.asked,
    )


def with_people(queryset: QuerySet[VolunteerRequest]) -> QuerySet[VolunteerRequest]:
    return queryset.select_related(
        "person",
        "household__address__neighbourhood",
        "requested_by",
        "team",
        "volunteer",
        "proposed_volunteer",
    )


def volunteer_consent_valid(vrequest: VolunteerRequest, volunteer: User) -> bool:
    """Whether the resident's consent to share with this volunteer still holds. A
    withdrawal counts at once: the volunteer's page then shows no resident data."""
    from buurtkracht.volunteering.services import volunteer_name

    return bool(shared_with_volunteer([vrequest], counterpart=volunteer_name(volunteer)))


def current_matches(volunteer: User) -> list[VolunteerRequest]:
    """The requests the volunteer is matched to now whose resident's consent still holds,
    in two queries however many there are."""
    from buurtkracht.volunteering.services import volunteer_name

    requests = list(with_people(VolunteerRequest.objects.for_volunteer(volunteer)))
    return shared_with_volunteer(requests, counterpart=volunteer_name(volunteer))


def volunteers() -> QuerySet[User]:
    """The people a coordinator may match: active accounts with the volunteer role."""
    return User.objects.filter(is_active=True, role_grants__role=Role.VOLUNTEER).order_by(
        "first_name", "last_name", "username"
    )


def average_time_to_match(now: dt.datetime | None = None) -> tuple[str, int]:
    """The average time from request to match of the matches made in the last three
    months, as a label, and how many matches it is over. One figure for the whole
    centre: no ranking of coordinators, workers or volunteers."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=AVERAGE_PERIOD_DAYS)
    pairs = list(
        VolunteerRequest.objects.filter(matched_at__gte=since, matched_at__isnull=False)
        .values_list("requested_at", "matched_at")
        .order_by()
    )
    if not pairs:
        return "", 0
    total = dt.timedelta()
    for asked, matched in pairs:
        assert matched is not None  # filtered above
        total += matched - asked
    return duration_label(total / len(pairs)), len(pairs)


def household_requests(household: Household) -> list[VolunteerRequest]:
    return list(
        with_people(VolunteerRequest.objects.filter(household=household))
        .prefetch_related("visits")
        .order_by("-requested_at", "-pk")
    )


def flagged_visits(user: User) -> list[Visit]:
    """Visits of the last two weeks that a volunteer flagged "the worker should know",
    on the households the user is involved in now."""
    today = timezone.localdate()
    return list(
        Visit.objects.filter(
            worker_should_know=True,
            date__gte=today - dt.timedelta(days=FLAGGED_VISITS_DAYS),
            request__household__in=Household.objects.involving(user).values("pk"),
        )
        .select_related("request__person", "request__household__address")
        .order_by("-date", "-pk")[:20]
    )


def my_work_section(request: AuthenticatedRequest) -> dict[str, Any]:
    """What "Mijn werk" shows of volunteer requests: a volunteer's current matches, the
    coordinator's number of open requests, a worker's flagged visits of the last two
    weeks. The lists name residents, so showing them is logged like any other look."""
    from buurtkracht.audit.decorators import note_look
    from buurtkracht.audit.models import Ground

    user = request.user
    section: dict[str, Any] = {}
    if user.has_role(Role.VOLUNTEER):
        matches = current_matches(user)
        section["matches"] = matches
        if matches:
            note_look(
                request,
                subjects=[r.person_id for r in matches],
                ground=Ground.CONSENT,
                details={"page": "my work: volunteer requests"},
            )
    if user.has_role(Role.VOLUNTEER_COORDINATOR):
        section["open_requests"] = VolunteerRequest.objects.waiting().count()
    if user.has_role(Role.WORKER) or user.has_role(Role.TEAM_LEADER):
        visits = flagged_visits(user)
        section["flagged_visits"] = visits
        if visits:
            note_look(
                request,
                subjects=[v.request.person_id for v in visits],
                ground=Ground.INVOLVEMENT,
                details={"page": "my work: flagged volunteer visits"},
            )
    return section
