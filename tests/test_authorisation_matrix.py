"""The authorisation matrix: every URL of the project × every persona.

New views are covered automatically: the test walks the URL configuration. It plants a
canary household (a surname and street that appear nowhere else) and then, for every URL
and persona:

- anonymous visitors are sent to a login page, unless the view is explicitly public
  (`@login_not_required`), and no public page shows the canary;
- a persona without a ground never sees the canary (a 404 or a page without it);
- every page that does show the canary to a persona wrote an audit entry naming that
  persona and the canary resident (audit completeness).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from buurtkracht.accounts.services import team_membership_create
from buurtkracht.audit.models import AuditEvent, Ground
from buurtkracht.casework.services import message_send
from buurtkracht.conferences.models import Case, Conference
from buurtkracht.conferences.services import (
    case_add,
    case_decide,
    conference_schedule,
    precedent_mark,
)
from buurtkracht.core.filetypes import PDF, Examined
from buurtkracht.documents.services import document_add
from buurtkracht.households.models import EmergencyAccess, Involvement
from buurtkracht.households.rights import data_request_create
from buurtkracht.mandates.services import decision_record
from buurtkracht.signals.models import Delivery, Report, Signal
from tests import factories
from tests.circles.helpers import circle_planted
from tests.conftest import Personas
from tests.mandates.helpers import make_mandate

pytestmark = pytest.mark.django_db

CANARY_SURNAME = "Kanariezanger"
CANARY_STREET = "Kanarievogelpad"

# Who may see the canary resident, per group of URLs (strict variant: no team-wide
# reading). A URL outside these groups may show the canary to nobody.
ALLOWED_BY_NAMESPACE = {
    # Mijn werk lists the households a worker is involved in.
    "workspace": {"worker"},
    # The household file: its lead worker, the team leader of the serving team, the resident.
    "households": {"worker", "team_leader", "resident"},
    "casework": {"worker", "team_leader", "resident"},
    "outcomes": {"worker", "team_leader", "resident"},
    "network": {"worker", "team_leader", "resident"},
    # The audit log names residents; only the privacy officer reads it.
    "audit": {"privacy_officer"},
    # Signal reports: the serving team (outreach), its leader, and the signal officer (the
    # review list and every report). Partners see counts and their own rows set aside only.
    "signals": {"worker", "team_leader", "signal_officer"},
    # Volunteer requests of a household: read on any ground to the file (the resident reads
    # the requests about them). Volunteers and the coordinator see only requests matched or
    # queued, and the canary has none.
    "referrals": {"worker", "team_leader", "resident"},
    "volunteering": {"worker", "team_leader", "resident"},
    # Documents on a file follow the file: adding, downloading (its content names the
    # canary) and removing one.
    "documents": {"worker", "team_leader", "resident"},
    # Case conferences: the canary is on the agenda of a conference with the debt bank's
    # outside professional, without consent: they read it anonymised. The team reads it by
    # name (lead worker; team leader, who chairs).
    "conferences": {"worker", "team_leader"},
    # Decisions under a mandate: recorded from the file by those who may write it (the
    # form names the residents); the partner liaison of the organisation whose mandate it
    # is reads the decision with the resident's name and date of birth. The report of a
    # mandate's use shows rounded figures only.
    "mandates": {"worker", "team_leader", "partner_liaison"},
    # The dilemma log is anonymous: no page of it shows a resident, to anyone. Who opens
    # which page (the team's members only) is walked per persona in
    # tests/dilemmas/test_access.py.
    "dilemmas": set(),
}


# Pages of the top floor take the rule of the file they show, not of their namespace.
ALLOWED_BY_ROUTE = {
    # The household file: its lead worker, the team leader of the serving team, the resident.
    "workspace:household": ALLOWED_BY_NAMESPACE["households"],
    "workspace:contact-add": ALLOWED_BY_NAMESPACE["households"],
    # Who else is involved: changed from the file by those who may write it (adding a
    # co-worker, handing over the lead: the lead worker and the team leader only).
    "workspace:co-worker-add": ALLOWED_BY_NAMESPACE["households"],
    "workspace:co-worker-end": ALLOWED_BY_NAMESPACE["households"],
    "workspace:lead-handover": {"worker", "team_leader"},
    # Consent online: the resident's own consents, and nobody else's page.
    "workspace:my-consent": {"resident"},
    "workspace:my-consent-withdraw": {"resident"},
    "workspace:my-consent-limit": {"resident"},
    # Self-assessment: the resident scores themselves.
    "outcomes:self-assessment": {"resident"},
    "workspace:professional-add": {"worker", "team_leader"},
    "workspace:professional-end": ALLOWED_BY_NAMESPACE["households"],
    "workspace:professional-sharing": ALLOWED_BY_NAMESPACE["households"],
    # The search box finds the files a user may read: the lead worker and the team leader
    # (a resident has no search box). Walked without a question here; asked for the canary
    # by name in test_the_search_box_finds_the_canary_only_on_a_ground below.
    "workspace:search": {"worker", "team_leader"},
    # The team leader's week: what waits in the neighbourhoods of the teams they lead (the
    # canary's overdue first attempt). The absence routes take POST only.
    "workspace:team-week": {"team_leader"},
    "workspace:absence-add": {"team_leader"},
    "workspace:absence-end": {"team_leader"},
    "workspace:absence-cover": {"team_leader"},
    # Data rights (docs/data-rights.md): the resident's own page and correction form (their
    # own name), the privacy officer's list of requests (the canary asked for a copy).
    "audit:my-data": {"resident"},
    "audit:my-data-correction": {"resident"},
    "audit:data-requests": {"privacy_officer"},
    "audit:data-request": {"privacy_officer"},
    # The partner's API of decisions under its mandates answers a token, never a session.
    "workspace:mandate-decisions-api": set(),
}


# Learning circles hold no resident data: nobody sees the canary there. Who reaches which
# page of the planted circle (the team leader started it and is in its support team, the
# circle member joined from the library); everyone else gets a 404.
CIRCLE_SUPPORT_ROUTES = {
    "circles:member-add",
    "circles:member-invite",
    "circles:meeting-add",
    "circles:meeting-edit",
    "circles:moment-add",
    "circles:summary",
}
CIRCLE_MEMBER_ROUTES = {
    "circles:detail",
    "circles:action-add",
    "circles:document-add",
    "circles:document-download",
}
# Pages open to everyone signed in: the list of one's own circles, and the public ones.
CIRCLE_OPEN_ROUTES = {"circles:list", "circles:public-list", "circles:public"}
# What a circle member from outside the teams reaches at all: their circles, their start
# page (which shows their circles), their own account, and the public pages.
CIRCLE_MEMBER_REACHES = (
    CIRCLE_MEMBER_ROUTES | CIRCLE_OPEN_ROUTES | {"workspace:my-work", "set_language"}
)
OWN_ACCOUNT = {"accounts", "notifications"}


def allowed_for(route_name: str) -> set[str]:
    if route_name in ALLOWED_BY_ROUTE:
        return ALLOWED_BY_ROUTE[route_name]
    return ALLOWED_BY_NAMESPACE.get(route_name.split(":")[0], set())


@dataclass
class Route:
    name: str
    path: str
    view: Any


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield name, prefix + str(entry.pattern), entry.callback


def _fill(pattern: str, values: dict[str, str]) -> str:
    """Turn a route or regex pattern into a concrete path, filling parameters."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values.get(m.group(1), values["default"]), pattern)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values.get(m.group(1), values["default"]), path)
    path = path.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    return "/" + path.lstrip("/")


def all_routes(values: dict[str, str]) -> list[Route]:
    return [
        Route(name, _fill(pattern, values), view)
        for name, pattern, view in _walk(get_resolver().url_patterns)
    ]


@pytest.fixture
def canary(personas: Personas) -> dict[str, Any]:
    household = personas.household
    address = household.address
    address.street = CANARY_STREET
    address.save()
    person = household.members.get()
    person.surname = CANARY_SURNAME
    person.save()
    Involvement.objects.create(
        household=household,
        worker=personas.worker,
        kind=Involvement.Kind.LEAD,
        start_date=dt.date(2026, 1, 1),
    )
    # Someone else's emergency access, so review pages have a row to show.
    other = factories.MembershipFactory.create()
    access = EmergencyAccess.objects.create(
        household=other.household,
        worker=personas.colleague,
        reason="Crisis in de avond, eigen team niet bereikbaar",
        started_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    # A signal about the canary, uncertain, so the review list and the report show it.
    partner = personas.partner_liaison.organisation
    neighbourhood = address.neighbourhood
    assert partner is not None and neighbourhood is not None
    delivery = Delivery.objects.create(organisation=partner, channel="api", checksum="c")
    report = Report.objects.create(
        address_key="canary|1",
        month=dt.date(2026, 11, 1),
        address=address,
        household=household,
        team=neighbourhood.teams.first(),
        neighbourhood=address.neighbourhood,
        first_signal_date=dt.date(2026, 11, 2),
        first_attempt_due=dt.date(2026, 11, 9),
    )
    Signal.objects.create(
        delivery=delivery,
        organisation=delivery.organisation,
        partner_kind="housing",
        partner_reference="K-1",
        signal_date=dt.date(2026, 11, 2),
        surname=CANARY_SURNAME,
        street=CANARY_STREET,
        house_number=address.house_number,
        postcode=address.postcode,
        report=report,
        person=person,
        match_status="review",
    )
    # A letter on the file whose title and content name the canary.
    document = document_add(
        household=household,
        user=personas.worker,
        examined=Examined(
            data=f"%PDF-1.4\n% Brief aan {CANARY_SURNAME}, {CANARY_STREET}\n%%EOF\n".encode(),
            kind=PDF,
            filename="brief.pdf",
        ),
        title=f"Brief aan {CANARY_SURNAME}",
        kind="letter",
        dated=dt.date(2026, 11, 2),
    )
    circle = circle_planted(personas)
    # The canary asked for a correction, so the pages of requests have it to show.
    data_request = data_request_create(
        person=person, user=personas.resident, kind="correction", wrong="Naam", should_be="Ok"
    )
    # A decision under the corporation's mandate about the canary, for the partner's page.
    mandate = make_mandate(personas)
    decision_record(
        mandate=mandate,
        household=household,
        person=person,
        what="Betalingsregeling 10 maanden",
        amount_cents=90_000,
        reason="Huurachterstand",
        user=personas.worker,
        ground=Ground.INVOLVEMENT,
    )
    # A message from the resident naming the canary: the conversation is read by the
    # resident, the lead worker and the team leader only (casework:messages); the worker
    # is told only that a message waits, and Mijn werk lists the household for them.
    message_send(
        household=household,
        author=personas.resident,
        text=f"Groeten van de familie {CANARY_SURNAME}",
        ground=Ground.OWN_DATA,
    )
    case = _canary_conference(personas, household)
    values = {
        "default": str(household.pk),
        "request_pk": str(data_request.pk),
        "pk": str(household.pk),
        "object_id": "1",
        "document_pk": str(document.pk),
        **circle["values"],
    }
    routes = all_routes(values)
    # Routes whose id names something other than a household get the right id.
    other_ids = {
        "households:emergency-review": access.pk,
        "audit:person-looks": person.pk,
        "audit:data-request": data_request.pk,
        "signals:report": report.pk,
        "signals:delivery": delivery.pk,
        "households:composition-member": household.memberships.get().pk,
        "mandates:usage": mandate.pk,
    }
    for route in routes:
        if route.name in other_ids:
            route.path = route.path.replace(f"/{household.pk}/", f"/{other_ids[route.name]}/")
        if route.name.startswith("circles:"):
            route.path = route.path.replace(f"/{household.pk}/", f"/{circle['pk']}/", 1)
    conference_paths = {
        "conferences:detail": reverse("conferences:detail", args=[case.conference_id]),
        "conferences:case-new": reverse("conferences:case-new", args=[case.conference_id]),
        "conferences:case": reverse("conferences:case", args=[case.conference_id, case.pk]),
        "conferences:precedent": reverse("conferences:precedent", args=[case.precedent.pk]),
    }
    for route in routes:
        route.path = conference_paths.get(route.name, route.path)
    # The canary has been looked at, so that the audit pages have it to show.
    client = Client()
    client.force_login(personas.worker)
    client.get(f"/huishoudens/{household.pk}/")
    return {"person": person, "household": household, "routes": routes}


def _canary_conference(personas: Personas, household: Any) -> Case:
    """A multidisciplinary conference with the canary on its agenda (no consent for the
    debt bank), decided and kept as a precedent."""
    team = personas.team_leader.team_memberships.get().team
    conference = conference_schedule(
        team=team,
        kind=Conference.Kind.MULTIDISCIPLINARY,
        starts_at=timezone.now() + dt.timedelta(days=2),
        place="Zaal 1",
        chair=personas.team_leader,
        participants=[personas.worker, personas.outside_professional],
        user=personas.worker,
    )
    case = case_add(
        conference=conference,
        household=household,
        anonymised="Casus K: alleenstaande met schulden",
        question="Snelle intake of budgetbeheer?",
        user=personas.worker,
    )
    case_decide(
        case=case, decision="Snelle intake", reasons="Schuld loopt op", user=personas.team_leader
    )
    precedent_mark(
        case=case,
        title="Schulden en snelle intake",
        situation="Alleenstaande met oplopende schulden",
        consideration="Snelheid",
        decision="Snelle intake",
        principle="Eerst rust",
        domain="finances",
        user=personas.team_leader,
    )
    return case


def body_of(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


def shows_canary(body: str) -> bool:
    return CANARY_SURNAME in body or CANARY_STREET in body


def test_the_matrix_knows_every_route(canary: dict[str, Any]) -> None:
    names = {route.name for route in canary["routes"]}
    assert {"workspace:household", "workspace:my-work", "accounts:login", "admin:index"} <= names


def test_anonymous_visitors_reach_only_explicitly_public_pages(
    client: Client, canary: dict[str, Any]
) -> None:
    for route in canary["routes"]:
        response = client.get(route.path)
        public = getattr(route.view, "login_required", True) is False
        if not public:
            assert response.status_code in (302, 405), f"{route.path} is open to anonymous visitors"
            if response.status_code == 302:
                assert "login" in response["Location"], route.path
        assert not shows_canary(body_of(response)), route.path


def test_no_persona_sees_a_resident_without_a_ground_and_every_look_is_logged(
    personas: Personas, canary: dict[str, Any]
) -> None:
    person_id = canary["person"].pk
    seen_by: dict[str, list[str]] = {}
    for name, user in personas.all().items():
        client = Client()
        client.force_login(user)
        for route in canary["routes"]:
            before = (
                AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
                or 0
            )
            response = client.get(route.path)
            body = body_of(response)
            if not shows_canary(body):
                continue
            seen_by.setdefault(name, []).append(route.name)
            assert name in allowed_for(route.name), f"{name} sees the canary at {route.path}"
            logged = AuditEvent.objects.filter(
                sequence__gt=before, actor_id=user.pk, subjects__person_id=person_id, allowed=True
            )
            assert logged.exists(), (
                f"{route.path} showed resident data to {name} without an audit entry"
            )
    # The matrix must have something to guard: every allowed persona does see the canary.
    assert set(seen_by) == set().union(*ALLOWED_BY_NAMESPACE.values()), seen_by


def test_household_routes_answer_404_to_personas_without_a_ground(
    personas: Personas, canary: dict[str, Any]
) -> None:
    """Not only no canary: the same 404 as for a household that does not exist, for GET and
    for POST, so the existence of a file is never confirmed and nothing is changed."""
    household_pk = canary["household"].pk
    routes = [
        route
        for route in canary["routes"]
        if route.name.split(":")[0] in {"households", "casework", "documents", "mandates"}
        # Their ids name a use of emergency access and a mandate, not a file.
        and route.name not in {"households:emergency-review", "mandates:usage"}
        and f"/{household_pk}/" in route.path
    ]
    assert len(routes) >= 5
    outsiders = {
        name: user
        for name, user in personas.all().items()
        if name not in allowed_for("workspace:household")
    }
    for name, user in outsiders.items():
        client = Client()
        client.force_login(user)
        for route in routes:
            for method in (client.get, client.post):
                response = method(route.path)
                assert response.status_code in (404, 405), (
                    f"{name} got {response.status_code} from {method.__name__.upper()} "
                    f"{route.path}; expected the 404 of a file that does not exist"
                )


def test_the_search_box_finds_the_canary_only_on_a_ground(
    personas: Personas, canary: dict[str, Any]
) -> None:
    """Asked for the canary by its name and its street, the search box shows it (a link to
    the file, its street) to those who may read the file and no one else, and each look
    is logged naming the canary resident."""
    household_link = f"/huishoudens/{canary['household'].pk}/"
    person_id = canary["person"].pk
    seen = set()
    for name, user in personas.all().items():
        client = Client()
        client.force_login(user)
        for question in (
            CANARY_SURNAME,
            f"{CANARY_STREET} {canary['household'].address.house_number}",
        ):
            before = (
                AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
                or 0
            )
            response = client.get("/zoeken/", {"q": question})
            body = body_of(response)
            if household_link not in body:
                continue
            seen.add(name)
            assert name in allowed_for("workspace:search"), f"{name} finds the canary"
            assert AuditEvent.objects.filter(
                sequence__gt=before, actor_id=user.pk, subjects__person_id=person_id, allowed=True
            ).exists(), f"{name} found the canary without an audit entry"
    assert seen == allowed_for("workspace:search")


COMPOSITION_WRITES = (
    "households:composition-member",
    "households:composition-add-found",
    "households:composition-add-new",
    "households:composition-birth",
    "households:composition-brp-search",
    "households:composition-brp-use",
    "households:composition-brp-compare",
    "households:composition-brp-take",
)


def test_composition_is_changed_only_on_a_ground_that_may_write(
    personas: Personas, canary: dict[str, Any]
) -> None:
    """The resident reads their own file, and a colleague of the serving team reads it with
    team-wide reading on: neither may change who lives there (visibility.can_write)."""
    municipality = canary["household"].address.neighbourhood.municipality
    municipality.team_wide_reading = True
    municipality.save()
    reader = factories.UserFactory.create(username="teamgenoot")
    team_membership_create(user=reader, team=canary["household"].address.neighbourhood.teams.get())
    routes = [route for route in canary["routes"] if route.name in COMPOSITION_WRITES]
    assert len(routes) == len(COMPOSITION_WRITES)
    members_before = canary["household"].memberships.count()
    for user in (personas.resident, reader):
        client = Client()
        client.force_login(user)
        page = client.get(f"/huishoudens/{canary['household'].pk}/").content.decode()
        assert CANARY_SURNAME in page  # they do read the file
        for route in routes:
            for method in (client.get, client.post):
                response = method(route.path, {"action": "move_out", "end_date": "01-01-2027"})
                assert response.status_code in (404, 405), (user.username, route.path)
    assert canary["household"].memberships.count() == members_before
    assert canary["household"].memberships.filter(end_date__isnull=False).count() == 0


def test_circle_pages_open_to_their_members_only(
    personas: Personas, canary: dict[str, Any]
) -> None:
    circle_routes = [route for route in canary["routes"] if route.name.startswith("circles:")]
    assert {route.name for route in circle_routes} == (
        CIRCLE_SUPPORT_ROUTES
        | CIRCLE_MEMBER_ROUTES
        | CIRCLE_OPEN_ROUTES
        | {"circles:start", "circles:member-remove", "circles:action-done"}
    ), "a new circle route needs its row in these tables"
    for name, user in personas.all().items():
        client = Client()
        client.force_login(user)
        for route in circle_routes:
            response = client.get(route.path)
            if route.name in CIRCLE_OPEN_ROUTES:
                expected = 200
            elif route.name in CIRCLE_SUPPORT_ROUTES:
                expected = 200 if name == "team_leader" else 404
            elif route.name in CIRCLE_MEMBER_ROUTES:
                expected = 200 if name in ("team_leader", "circle_member") else 404
            elif route.name == "circles:start":
                expected = 200 if name == "team_leader" else 404
            else:  # POST only
                expected = 405
            assert response.status_code == expected, (name, route.path, response.status_code)
            for method_route in ("circles:member-remove", "circles:action-done"):
                if route.name == method_route and name not in ("team_leader", "circle_member"):
                    assert client.post(route.path).status_code == 404, (name, route.path)


def test_a_circle_member_from_outside_reaches_nothing_else(
    personas: Personas, canary: dict[str, Any]
) -> None:
    """The library worker in a circle sees their circles and nothing else of the product:
    every other page that is not public is refused (404, 403) or sends them elsewhere.
    Their own account and notification settings stay theirs."""
    client = Client()
    client.force_login(personas.circle_member)
    reached = []
    for route in canary["routes"]:
        if route.name in CIRCLE_MEMBER_REACHES or route.name.split(":")[0] in OWN_ACCOUNT:
            continue
        if getattr(route.view, "login_required", True) is False:
            continue  # public: the same for everyone
        if client.get(route.path).status_code == 200:
            reached.append(route.path)
    assert not reached, f"a circle member reaches {reached}"
