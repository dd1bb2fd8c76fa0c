from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from buurtkracht.accounts.models import Role
from buurtkracht.notifications.queries import unread_count
from buurtkracht.workspace.search import may_search

SEARCH = "workspace:search"

# The main menu: (url name, label, roles that see it; empty = everyone signed in).
MENU: tuple[tuple[str, Any, frozenset[str]], ...] = (
    ("workspace:my-work", _("My work"), frozenset()),
    ("households:search", _("Find a household"), frozenset({Role.WORKER, Role.TEAM_LEADER})),
    ("casework:intakes", _("Intakes"), frozenset({Role.WORKER, Role.TEAM_LEADER})),
    ("casework:handover", _("Handover"), frozenset({Role.TEAM_LEADER})),
    (
        "conferences:list",
        _("Case conferences"),
        frozenset({Role.WORKER, Role.TEAM_LEADER, Role.OUTSIDE_PROFESSIONAL}),
    ),
    ("conferences:precedents", _("Precedents"), frozenset({Role.WORKER, Role.TEAM_LEADER})),
    (
        "signals:worklist",
        _("Signals"),
        frozenset({Role.WORKER, Role.TEAM_LEADER, Role.SIGNAL_OFFICER}),
    ),
    ("signals:review", _("Review signals"), frozenset({Role.SIGNAL_OFFICER})),
    ("signals:deliver", _("Deliver signals"), frozenset({Role.PARTNER_LIAISON})),
    (
        "socialmap:search",
        _("Social map"),
        frozenset(
            {
                Role.WORKER,
                Role.TEAM_LEADER,
                Role.COMMUNITY_WORKER,
                Role.VOLUNTEER,
                Role.VOLUNTEER_COORDINATOR,
                Role.RESIDENT,
            }
        ),
    ),
    ("volunteering:queue", _("Volunteer requests"), frozenset({Role.VOLUNTEER_COORDINATOR})),
    ("volunteering:mine", _("My volunteer requests"), frozenset({Role.VOLUNTEER})),
    ("socialmap:exchange", _("Exchange the social map"), frozenset({Role.FUNCTIONAL_ADMIN})),
    ("households:register-extracts", _("Register extracts"), frozenset({Role.FUNCTIONAL_ADMIN})),
    (
        "initiatives:list",
        _("Resident initiatives"),
        frozenset({Role.COMMUNITY_WORKER, Role.POLICY_ADVISOR}),
    ),
    (
        "voting:manage",
        _("Voting rounds"),
        frozenset({Role.COMMUNITY_WORKER, Role.POLICY_ADVISOR}),
    ),
    ("voting:index", _("Residents' budget"), frozenset({Role.RESIDENT})),
    ("initiatives:propose", _("Propose a resident initiative"), frozenset({Role.RESIDENT})),
    ("initiatives:results", _("What residents did"), frozenset({Role.RESIDENT})),
    ("dilemmas:list", _("Dilemmas"), frozenset({Role.WORKER, Role.TEAM_LEADER})),
    (
        "outcomes:stories",
        _("Stories"),
        frozenset({Role.WORKER, Role.TEAM_LEADER, Role.COMMUNITY_WORKER}),
    ),
    (
        "outcomes:report",
        _("Outcome report"),
        frozenset({Role.TEAM_LEADER, Role.POLICY_ADVISOR}),
    ),
    (
        "signals:monitor",
        _("Signal monitor"),
        frozenset({Role.TEAM_LEADER, Role.SIGNAL_OFFICER, Role.POLICY_ADVISOR}),
    ),
    (
        "households:emergency-review-list",
        _("Emergency access"),
        frozenset({Role.TEAM_LEADER, Role.PRIVACY_OFFICER}),
    ),
    (
        "mandates:list",
        _("Mandates"),
        frozenset({Role.FUNCTIONAL_ADMIN, Role.TEAM_LEADER, Role.POLICY_ADVISOR}),
    ),
    ("mandates:partner", _("Decisions under our mandates"), frozenset({Role.PARTNER_LIAISON})),
    ("audit:log", _("Audit log"), frozenset({Role.PRIVACY_OFFICER})),
    ("audit:consents", _("Consent register"), frozenset({Role.PRIVACY_OFFICER})),
    (
        "audit:access-requests",
        _("Access requests"),
        frozenset({Role.PRIVACY_OFFICER, Role.FUNCTIONAL_ADMIN}),
    ),
    (
        "audit:data-requests",
        _("Requests about personal data"),
        frozenset({Role.PRIVACY_OFFICER}),
    ),
    ("audit:my-looks", _("Who looked at my file"), frozenset({Role.RESIDENT})),
    ("audit:my-data", _("My data"), frozenset({Role.RESIDENT})),
    (
        "circles:list",
        _("Learning circles"),
        frozenset(
            {
                Role.WORKER,
                Role.TEAM_LEADER,
                Role.COMMUNITY_WORKER,
                Role.VOLUNTEER_COORDINATOR,
                Role.POLICY_ADVISOR,
                Role.CIRCLE_MEMBER,
            }
        ),
    ),
)

# A learning-circle member from outside the teams sees their circles and nothing else of
# the product: the menu holds only the way to them.
CIRCLE_MEMBER_MENU = frozenset({"circles:list"})

# A resident without a staff role finds their own file and neighbourhood on the start
# page, not work: the menu names it for them.
RESIDENT_LABELS: dict[str, Any] = {"workspace:my-work": _("My page")}


def site(request: HttpRequest) -> dict[str, Any]:
    """Site name and the menu items this user's roles open."""
    menu = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        current = request.resolver_match.view_name if request.resolver_match else ""
        resident_only = user.role_set == {Role.RESIDENT}
        circle_member_only = user.role_set == {Role.CIRCLE_MEMBER}
        for url_name, label, roles in MENU:
            if circle_member_only and url_name not in CIRCLE_MEMBER_MENU:
                continue
            if not roles or roles & user.role_set:
                if resident_only:
                    label = RESIDENT_LABELS.get(url_name, label)
                menu.append(
                    {"url": reverse(url_name), "label": label, "current": url_name == current}
                )
        if not resident_only and not circle_member_only:
            # The badge: one query. The count is in the link's accessible name.
            menu.append(
                {
                    "url": reverse("notifications:list"),
                    "label": _("Notifications"),
                    "current": current.startswith("notifications:"),
                    "unread": unread_count(user),
                }
            )
    search_box = user is not None and may_search(user)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "menu": menu,
        "search_box": search_box,
        # The search page shows its question in the box, to refine it.
        "search_query": request.GET.get("q", "")[:100]
        if search_box and request.resolver_match and request.resolver_match.view_name == SEARCH
        else "",
    }
