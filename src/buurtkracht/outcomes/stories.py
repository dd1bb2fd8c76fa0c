"""Stories (weekimpressies): short accounts of the work, written by workers and residents,
that reports show beside the figures (issue 7: "accountability with stories and goals
reached rather than counts").

The consent rule: a story about a resident (`Story.about`) appears in a report only while
that resident's consent for it is valid (`Consent.Purpose.STORY_IN_REPORT`, checked when
the report is made, so a withdrawal takes effect at the next report). A story about the
neighbourhood in general (no `about`) needs no consent. Reports never name the author or
the resident: a story is "from a worker of Team Oost" or "from a resident".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core import validators
from buurtkracht.core.models import Area, Team
from buurtkracht.households.consent import consent_is_valid, consent_record
from buurtkracht.households.models import Consent, Household, Person
from buurtkracht.outcomes.models import Story

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User

MAX_TITLE = 120
MAX_TEXT = 1500
# A report shows at most this many stories, the newest first; the count says how many
# more there are.
REPORT_STORIES = 25

Purpose = Consent.Purpose


def _subjects(story: Story) -> list[int]:
    if story.about_id:
        return [story.about_id]
    return story.household.current_member_ids() if story.household else []


def story_validate(
    *,
    title: str,
    text: str,
    written_on: dt.date,
    household: Household | None,
    about: Person | None,
    team: Team | None,
    neighbourhood: Area | None,
) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the story a short title.")
    elif len(title.strip()) > MAX_TITLE:
        errors["title"] = _("Keep the title to %(n)s characters.") % {"n": MAX_TITLE}
    if not text.strip():
        errors["text"] = _("Write the story: what happened, and what it meant.")
    elif len(text.strip()) > MAX_TEXT:
        errors["text"] = _(
            "A story is short: at most %(n)s characters (now %(count)s). Keep the heart of it."
        ) % {"n": MAX_TEXT, "count": len(text.strip())}
    if message := validators.HAPPENED.error(written_on):
        errors["written_on"] = message
    if about is not None and (household is None or about.pk not in household.current_member_ids()):
        errors["about"] = _("Choose a member of this household, or nobody in particular.")
    if household is None and team is None:
        errors["team"] = _("Choose the team the story comes from.")
    if (
        neighbourhood is not None
        and team is not None
        and household is None
        and not team.neighbourhoods.filter(pk=neighbourhood.pk).exists()
    ):
        errors["neighbourhood"] = _("Choose one of the neighbourhoods of %(team)s.") % {
            "team": team
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def story_write(
    *,
    author: Any,
    title: str,
    text: str,
    source: str = Story.Source.WORKER,
    written_on: dt.date | None = None,
    household: Household | None = None,
    about: Person | None = None,
    team: Team | None = None,
    neighbourhood: Area | None = None,
    request: HttpRequest | None = None,
    ground: str = Ground.ROLE,
) -> Story:
    """A new story. A story from a household takes the household's neighbourhood and the
    team that serves it; a general story names its team (and perhaps a neighbourhood)."""
    written_on = written_on or timezone.localdate()
    story_validate(
        title=title,
        text=text,
        written_on=written_on,
        household=household,
        about=about,
        team=team,
        neighbourhood=neighbourhood,
    )
    if household is not None:
        neighbourhood = household.address.neighbourhood if household.address_id else None
        team = team or (neighbourhood.teams.order_by("pk").first() if neighbourhood else None)
    story = Story.objects.create(
        title=title.strip(),
        text=text.strip(),
        written_on=written_on,
        source=source,
        author=author,
        team=team,
        neighbourhood=neighbourhood,
        household=household,
        about=about,
    )
    audit_record(
        action=AuditAction.CREATE,
        user=author,
        request=request,
        subjects=_subjects(story),
        obj=story,
        ground=ground,
        details={"story": story.pk, "source": source, "about_resident": bool(about)},
    )
    return story


@transaction.atomic
def story_delete(
    *, story: Story, user: User, request: HttpRequest | None = None, ground: str = Ground.ROLE
) -> None:
    """The author takes a story back. It is gone from every later report."""
    if story.author_id != user.pk:
        raise ValidationError(_("Only the author can remove a story."))
    audit_record(
        action=AuditAction.DELETE,
        user=user,
        request=request,
        subjects=_subjects(story),
        obj=story,
        ground=ground,
        details={"story": story.pk},
    )
    story.delete()


def resident_story_consent(person: Person) -> bool:
    """Whether `person` has valid consent now for their stories in reports."""
    return person.pk in consented_people([person.pk])


def resident_story_consent_set(
    *, person: Person, given: bool, user: User, request: HttpRequest | None = None
) -> None:
    """The resident's own yes or no to their stories in reports, recorded online in the
    consent register (only when it changes)."""
    if resident_story_consent(person) == given:
        return
    consent_record(
        person=person,
        purpose=Purpose.STORY_IN_REPORT,
        given=given,
        method=Consent.Method.ONLINE,
        recorded_by=user,
        note=_("Given by the resident with their own story.")
        if given
        else _("Withdrawn by the resident with their own story."),
        request=request,
    )


def consented_people(person_ids: Iterable[int], on: dt.date | None = None) -> set[int]:
    """Of these people, those whose newest story consent is given and still valid. One
    query for any number of people."""
    ids = set(person_ids)
    if not ids:
        return set()
    decided: set[int] = set()
    consenting: set[int] = set()
    for consent in Consent.objects.filter(
        person_id__in=ids, purpose=Purpose.STORY_IN_REPORT
    ).order_by("person_id", "-recorded_at", "-id"):
        if consent.person_id in decided:
            continue
        decided.add(consent.person_id)
        if consent_is_valid(consent, on):
            consenting.add(consent.person_id)
    return consenting


@dataclass(frozen=True)
class ReportStory:
    """A story as a report shows it: no author's name, no resident's name."""

    title: str
    text: str
    written_on: dt.date
    neighbourhood: str
    source: str
    about_resident: bool
    about_id: int | None


@dataclass(frozen=True)
class ReportStories:
    stories: list[ReportStory]
    total: int  # how many stories may appear; `stories` holds the newest of them


def report_stories(
    *,
    start: dt.date,
    end: dt.date,
    area_ids: list[int],
    team: Team | None,
    area: Area | None,
    limit: int = REPORT_STORIES,
) -> ReportStories:
    """The stories of the period for the report's neighbourhoods. A general story without
    a neighbourhood belongs to its team: it is in the report of that team, or of all
    teams, but not in the report of one area."""
    scope = Q(neighbourhood_id__in=area_ids)
    if area is None:
        scope |= Q(neighbourhood__isnull=True, team=team) if team else Q(neighbourhood__isnull=True)
    candidates = list(
        Story.objects.filter(scope, written_on__gte=start, written_on__lte=end)
        .select_related("team", "neighbourhood")
        .order_by("-written_on", "-pk")
    )
    consenting = consented_people(s.about_id for s in candidates if s.about_id)
    shown = [s for s in candidates if s.about_id is None or s.about_id in consenting]
    return ReportStories(
        stories=[_for_report(story) for story in shown[:limit]],
        total=len(shown),
    )


def _for_report(story: Story) -> ReportStory:
    if story.source == Story.Source.RESIDENT:
        source = _("From a resident")
    elif story.team:
        source = _("From a worker of %(team)s") % {"team": story.team}
    else:
        source = _("From a worker")
    return ReportStory(
        title=story.title,
        text=story.text,
        written_on=story.written_on,
        neighbourhood=story.neighbourhood.name if story.neighbourhood else "",
        source=source,
        about_resident=story.about_id is not None,
        about_id=story.about_id,
    )
