"""Stories (weekimpressies): written from a household's file (by its workers or by the
resident), or as a general story of a team's work. Household stories go through the guard
(buurtkracht.households.guard), which checks the ground and logs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from buurtkracht.accounts.decorators import role_required
from buurtkracht.accounts.models import Role
from buurtkracht.accounts.queries import current_teams
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited, note_look
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.core.forms import errors_to_form
from buurtkracht.households.guard import household_for_request
from buurtkracht.households.visibility import can_write
from buurtkracht.outcomes.forms import (
    WHOLE_HOUSEHOLD,
    HouseholdStoryForm,
    ResidentStoryForm,
    StoryForm,
    TeamStoryForm,
)
from buurtkracht.outcomes.models import Story
from buurtkracht.outcomes.stories import (
    resident_story_consent,
    resident_story_consent_set,
    story_delete,
    story_write,
)

STORY_ROLES = (Role.WORKER, Role.TEAM_LEADER, Role.COMMUNITY_WORKER)


@require_http_methods(["GET", "POST"])
@audited
def household_story_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action = AuditAction.UPDATE if request.method == "POST" else AuditAction.READ
    household, ground = household_for_request(request, pk, action=action, details={"page": "story"})
    for_resident = ground == Ground.OWN_DATA
    if not for_resident and not can_write(ground):
        raise Http404
    person = request.user.person if for_resident else None
    form: StoryForm
    if for_resident:
        assert person is not None
        form = ResidentStoryForm(
            request.POST or None, initial={"in_reports": resident_story_consent(person)}
        )
    else:
        form = HouseholdStoryForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not for_resident:
            about_id = data["about"]
            person = (
                household.members.filter(pk=int(about_id)).first()
                if about_id and about_id != WHOLE_HOUSEHOLD and about_id.isdigit()
                else None
            )
        try:
            story_write(
                author=request.user,
                title=data["title"],
                text=data["text"],
                written_on=data["written_on"],
                source=Story.Source.RESIDENT if for_resident else Story.Source.WORKER,
                household=household,
                about=person,
                request=request,
                ground=ground,
            )
            if for_resident:
                assert person is not None
                resident_story_consent_set(
                    person=person, given=data["in_reports"], user=request.user, request=request
                )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Story saved."))
            return redirect("outcomes:progress", pk=household.pk)
    return render(
        request,
        "outcomes/story_form.html",
        {"household": household, "form": form, "for_resident": for_resident},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@audited
def household_story_delete(request: AuthenticatedRequest, pk: int, story_pk: int) -> HttpResponse:
    household, ground = household_for_request(
        request, pk, action=AuditAction.DELETE, details={"page": "story", "story": story_pk}
    )
    story = get_object_or_404(Story, pk=story_pk, household=household, author=request.user)
    story_delete(story=story, user=request.user, request=request, ground=ground)
    messages.success(request, _("Story removed. It no longer appears in reports."))
    return redirect("outcomes:progress", pk=household.pk)


@require_http_methods(["GET", "POST"])
@role_required(*STORY_ROLES)
@audited
def team_stories(request: AuthenticatedRequest) -> HttpResponse:
    """Weekimpressies: the general stories of the user's teams (no household, no resident),
    and a form to write one."""
    teams = list(current_teams(request.user))
    form = TeamStoryForm(request.POST or None, teams=teams)
    if request.method == "POST":
        if not teams:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                story_write(
                    author=request.user,
                    title=data["title"],
                    text=data["text"],
                    written_on=data["written_on"],
                    team=data["team"],
                    neighbourhood=data.get("neighbourhood"),
                    request=request,
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Story saved."))
                return redirect("outcomes:stories")
    stories = (
        Story.objects.filter(team__in=teams, household__isnull=True)
        .select_related("team", "neighbourhood", "author")
        .order_by("-written_on", "-pk")
    )
    page = Paginator(stories, 20).get_page(request.GET.get("page"))
    note_look(
        request,
        action=AuditAction.READ,
        ground=Ground.ROLE,
        details={"page": "team stories"},
    )
    return render(
        request,
        "outcomes/team_stories.html",
        {"form": form, "teams": teams, "page": page},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@role_required(*STORY_ROLES)
def team_story_delete(request: AuthenticatedRequest, story_pk: int) -> HttpResponse:
    story = get_object_or_404(Story, pk=story_pk, household__isnull=True, author=request.user)
    story_delete(story=story, user=request.user, request=request)
    messages.success(request, _("Story removed. It no longer appears in reports."))
    return redirect("outcomes:stories")
