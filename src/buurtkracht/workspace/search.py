"""The search box on every page (docs/search.md): a worker or team leader finds the
households they may read by name, address, postcode, date of birth or BSN.

What is found is what `households.visibility` lets this user read, nothing more; every
search is logged as a search, with the terms minimised (`SearchTerms.audit_terms`) and the
residents shown, one entry per ground. A file outside one's own is found only with the
two facts of "Find a household" (households:search), which the page links to."""

from __future__ import annotations

from collections import defaultdict

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from buurtkracht.accounts.models import Role, User
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited, note_look
from buurtkracht.audit.models import Action, Ground
from buurtkracht.households import queries
from buurtkracht.households.forms import QuickSearchForm
from buurtkracht.households.queries import SearchResults, search_households

# Who has the search box: those who work with household files. Residents, volunteers,
# partners and the other roles read no household file on a ground of their own.
SEARCH_ROLES = frozenset({Role.WORKER, Role.TEAM_LEADER})


def may_search(user: User) -> bool:
    return bool(user.is_authenticated and user.role_set & SEARCH_ROLES)


@require_GET
@audited
def search(request: AuthenticatedRequest) -> HttpResponse:
    if not may_search(request.user):
        raise Http404
    form = QuickSearchForm(request.GET if "q" in request.GET else None)
    results: SearchResults | None = None
    if form.is_bound and form.is_valid():
        terms = form.cleaned_data["terms"]
        results = search_households(request.user, terms, limit=queries.MAX_RESULTS)
        by_ground: dict[str, list[int]] = defaultdict(list)
        for found in results.found:
            by_ground[found.ground] += [m.person_id for m in found.members]
        details = {
            "page": "search",
            "terms": terms.audit_terms(),
            "found": len(results.found),
        }
        if not by_ground:
            # Nothing shown, still a search on record: on the ground of the role.
            by_ground[Ground.ROLE] = []
        for ground, subjects in by_ground.items():
            note_look(
                request, action=Action.SEARCH, ground=ground, subjects=subjects, details=details
            )
    return render(
        request,
        "workspace/search.html",
        {"form": form, "results": results, "limit": queries.MAX_RESULTS},
    )
