"""Reads on households for lists (Mijn werk) and the search box. Visibility comes from
households.visibility."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Concat
from django.utils import timezone

from buurtkracht.accounts.models import Role, TeamMembership, User
from buurtkracht.audit.models import Ground
from buurtkracht.core.names import Folded
from buurtkracht.core.queries import in_force, not_ended
from buurtkracht.core.search_terms import minimised_terms, terms_key
from buurtkracht.households import visibility
from buurtkracht.households.consent import Purpose, consent_is_valid
from buurtkracht.households.grants import RECENT_DAYS, recent_grants
from buurtkracht.households.models import (
    Consent,
    EmergencyAccess,
    Household,
    Involvement,
    Membership,
    OutsideProfessional,
    Person,
)

if TYPE_CHECKING:
    from buurtkracht.accounts.types import AuthenticatedRequest


def my_involvements(user: User) -> QuerySet[Involvement]:
    """The households the user is involved in today, lead first, with their members, in a
    fixed number of queries whatever the caseload."""
    today = timezone.localdate()
    return (
        Involvement.objects.filter(in_force(today), worker=user)
        .select_related("household__address__neighbourhood")
        .prefetch_related(
            Prefetch(
                "household__memberships",
                queryset=Membership.objects.select_related("person").order_by("role", "pk"),
            )
        )
        .order_by(
            # Lead first, as the docstring promises ("co_worker" sorts before "lead").
            Case(When(kind=Involvement.Kind.LEAD, then=0), default=1),
            "household__address__street",
            "household__address__house_number",
        )
    )


@dataclass(frozen=True)
class OwnHousehold:
    """A household the resident lives in, with who to turn to: the lead worker (one
    household, one lead worker) and the neighbourhood team that serves the address."""

    household: Household
    neighbourhood: str
    lead_worker: User | None
    teams: list[str]


def own_households(user: User) -> list[OwnHousehold]:
    """The households `user` lives in today, on the own-data ground only. Three queries,
    however many households and teams."""
    today = timezone.localdate()
    current_leads = Involvement.objects.filter(
        in_force(today),
        kind=Involvement.Kind.LEAD,
    ).select_related("worker")
    households = (
        visibility.own_households(user, Household.objects.all())
        .select_related("address__neighbourhood")
        .prefetch_related(
            Prefetch("involvements", queryset=current_leads, to_attr="current_leads"),
            "address__neighbourhood__teams",
        )
        .order_by("pk")
    )
    result = []
    for household in households:
        neighbourhood = household.address.neighbourhood
        leads = household.current_leads
        result.append(
            OwnHousehold(
                household=household,
                neighbourhood=neighbourhood.name if neighbourhood else "",
                lead_worker=leads[0].worker if leads else None,
                teams=[team.name for team in neighbourhood.teams.all()] if neighbourhood else [],
            )
        )
    return result


def my_work_section(request: AuthenticatedRequest) -> dict[str, Any]:
    """What the start page shows of households beyond a worker's own caseload: a
    resident's own household file and who to turn to, and the uses of emergency access
    waiting for the reviewer (team leader, privacy officer). The resident's part names
    their lead worker, a look at their file, so it is logged like any other."""
    from buurtkracht.audit.decorators import note_look
    from buurtkracht.audit.models import Ground

    user = request.user
    section: dict[str, Any] = {}
    if user.has_role(Role.RESIDENT):
        person_id = user.person_id
        own = own_households(user) if person_id else []
        section["resident"] = True
        section["own_households"] = own
        if own and person_id:
            note_look(
                request,
                subjects=[person_id],
                ground=Ground.OWN_DATA,
                details={"page": "my work", "households": len(own)},
            )
    reviewable = visibility.reviewable_emergency_accesses(user, EmergencyAccess.objects.all())
    if reviewable is not None:
        section["emergency_to_review"] = reviewable.filter(reviewed_at__isnull=True).count()
    if user.has_role(Role.TEAM_LEADER):
        # Who got access to which file, how and on whose say: the team leader sees every
        # grant of the last two weeks (households/grants.py). Addresses and workers of
        # files: a look, logged with the residents concerned.
        grants = recent_grants(user)
        section["grants"] = grants
        section["grant_days"] = RECENT_DAYS
        if grants:
            households = {g.household.pk for g in grants}
            note_look(
                request,
                subjects=sorted(
                    Membership.objects.filter(household_id__in=households)
                    .values_list("person_id", flat=True)
                    .distinct()
                ),
                ground=Ground.TEAM_LEADER,
                details={"page": "my work", "grants": len(grants)},
            )
    return section


def co_worker_candidates(household: Household) -> QuerySet[User]:
    """Colleagues who may be added as co-worker (or take over the lead) from the file:
    active workers today of a team that serves the household's neighbourhood (not its
    team leader, who reads the file on their own ground), not yet involved in it."""
    members = (
        TeamMembership.objects.filter(
            team__neighbourhoods__addresses__households=household,
            position=TeamMembership.Position.WORKER,
        )
        .filter(in_force())
        .values("user_id")
    )
    involved = household.involvements.filter(not_ended()).values("worker_id")
    return (
        User.objects.filter(pk__in=members, is_active=True)
        .exclude(pk__in=involved)
        .order_by("last_name", "first_name", "username")
    )


@dataclass(frozen=True)
class OnFile:
    """An outside professional as the file shows them, with what the consent register
    says about sharing with their organisation: the members whose consent holds today."""

    professional: OutsideProfessional
    consented: list[Person]
    checkable: bool


def outside_professionals_on_file(
    household: Household, members: list[Person]
) -> tuple[list[OnFile], list[OutsideProfessional]]:
    """The outside professionals of the household: those involved now, each with the
    current `members` whose consent to share with their organisation holds today, and
    those ended (newest end first; ended, never deleted). One query for the professionals
    and at most one for the consent register, however many there are."""
    everyone = list(household.outside_professionals.select_related("person", "organisation"))
    professionals = [p for p in everyone if p.end_date is None]
    ended = sorted(
        (p for p in everyone if p.end_date is not None),
        key=lambda p: (p.end_date, p.pk),
        reverse=True,
    )
    by_id = {person.pk: person for person in members}
    organisations = {p.organisation_id for p in professionals if p.organisation_id}
    current: dict[tuple[int, int], Consent] = {}
    if organisations and by_id:
        for consent in Consent.objects.filter(
            person_id__in=list(by_id),
            purpose=Purpose.SHARE_WITH_ORGANISATION,
            organisation_id__in=organisations,
        ).order_by("-recorded_at", "-id"):
            assert consent.organisation_id is not None
            current.setdefault((consent.person_id, consent.organisation_id), consent)
    on_file = [
        OnFile(
            professional=p,
            consented=[
                person
                for pid, person in by_id.items()
                if p.organisation_id and consent_is_valid(current.get((pid, p.organisation_id)))
            ],
            checkable=p.organisation_id is not None,
        )
        for p in professionals
    ]
    return on_file, ended


# --- the search box (docs/search.md) ---------------------------------------------------


@dataclass(frozen=True)
class SearchTerms:
    """What one line in the search box asks for (households.forms.QuickSearchForm reads
    it): folded words — a name, or with a house number a street —, a house number (and
    letter), a postcode, a date of birth, a BSN. All given terms must hold."""

    MIN_WORD: ClassVar[int] = 2
    words: tuple[str, ...] = ()
    house_number: int | None = None
    house_letter: str = ""
    postcode: str = ""
    date_of_birth: dt.date | None = None
    bsn: str = ""

    @property
    def street_words(self) -> tuple[str, ...]:
        """With a house number the words name the street ("Lindelaan 12")."""
        return self.words if self.house_number is not None else ()

    @property
    def name_words(self) -> tuple[str, ...]:
        return () if self.house_number is not None else self.words

    @property
    def kinds(self) -> list[str]:
        kinds = []
        if self.name_words:
            kinds.append("name")
        if self.street_words or self.house_number is not None:
            kinds.append("address")
        kinds += [k for k in ("postcode", "date_of_birth", "bsn") if getattr(self, k)]
        return kinds

    def audit_terms(self) -> dict[str, Any]:
        """The terms as the audit log keeps them: minimised like the BRP lookup's
        (`core.brp.minimised_terms`); a street as its keyed hash, no house number."""
        terms: dict[str, Any] = {"kinds": self.kinds}
        terms |= minimised_terms(
            bsn=self.bsn,
            surname=" ".join(self.name_words),
            date_of_birth=self.date_of_birth,
            postcode=self.postcode,
        )
        if self.street_words:
            terms["street_key"] = terms_key(" ".join(self.street_words))
        return terms


# A searched word of this length or more also finds names it is like (a typo), on
# PostgreSQL (pg_trgm's word similarity); shorter words only start a word of the name.
TYPO_MIN_LENGTH = 4
TYPO_SIMILARITY = 0.5
MAX_RESULTS = 20


@dataclass(frozen=True)
class FoundHousehold:
    household: Household
    members: list[Membership]
    ground: str  # an audit Ground: why this user may open the file
    lead: bool  # the ground is the involvement, and the user holds the lead

    @property
    def ground_kind(self) -> str:
        """lead / co_worker / team_leader / team / emergency / own_data, for the page."""
        if self.ground == Ground.INVOLVEMENT:
            return "lead" if self.lead else "co_worker"
        return self.ground


@dataclass(frozen=True)
class SearchResults:
    found: list[FoundHousehold]
    more: bool  # there were more than shown: refine the search


def _words_match(
    expression: Any, words: tuple[str, ...], name: str, typos: bool
) -> tuple[dict[str, Any], Q]:
    """Annotations and a condition: each word starts a word of the folded `expression`
    (or, with `typos`, is like one)."""
    annotations: dict[str, Any] = {name: Concat(Value(" "), Folded(expression))}
    condition = Q()
    for index, word in enumerate(words):
        found = Q(**{f"{name}__contains": f" {word}"})
        if typos and len(word) >= TYPO_MIN_LENGTH:
            similarity = f"{name}_similarity_{index}"
            annotations[similarity] = TrigramWordSimilarity(word, name)
            found |= Q(**{f"{similarity}__gte": TYPO_SIMILARITY})
        condition &= found
    return annotations, condition


def _name() -> Concat:
    parts = ("given_names", "surname_prefix", "surname", "birth_surname_prefix", "birth_surname")
    pieces: list[Any] = []
    for part in parts:
        pieces += [f"person__{part}", Value(" ")]
    return Concat(*pieces[:-1])


def search_households(user: User, terms: SearchTerms, *, limit: int = MAX_RESULTS) -> SearchResults:
    """The households `user` may read (visibility decides) that match `terms`, at most
    `limit`, with their members today and the ground to each. A fixed number of queries
    whatever the number of households: one for the households, one for their members,
    one for the user's own involvements, one per ground (visibility.household_grounds)."""
    today = timezone.localdate()
    typos = connection.vendor == "postgresql"
    households = Household.objects.visible_to(user)
    condition = Q()

    if terms.name_words or terms.bsn or terms.date_of_birth:
        members = Membership.objects.filter(in_force(today), household=OuterRef("pk"))
        if terms.bsn:
            members = members.filter(person__bsn=terms.bsn)
        if terms.date_of_birth:
            members = members.filter(person__date_of_birth=terms.date_of_birth)
        if terms.name_words:
            annotations, words = _words_match(_name(), terms.name_words, "folded_name", typos)
            members = members.annotate(**annotations).filter(words)
        condition = Q(Exists(members))
        only_words = not (terms.bsn or terms.date_of_birth or terms.postcode)
        if only_words:
            # A name alone may also be a street: "Lindelaan" finds the households there.
            annotations, street = _words_match(
                "address__street", terms.name_words, "folded_street", typos=False
            )
            households = households.annotate(**annotations)
            condition |= street
    if terms.street_words:
        annotations, street = _words_match(
            "address__street", terms.street_words, "folded_street", typos
        )
        households = households.annotate(**annotations)
        condition &= street
    if terms.postcode:
        condition &= Q(address__postcode=terms.postcode)
    if terms.house_number is not None:
        condition &= Q(address__house_number=terms.house_number)
        if terms.house_letter:
            condition &= Q(address__house_letter=terms.house_letter)
    if not condition:
        return SearchResults(found=[], more=False)  # no terms: never "everything"

    current = Membership.objects.filter(in_force(today)).select_related("person")
    mine = Involvement.objects.filter(in_force(today), worker=user)
    page = list(
        households.filter(condition)
        .select_related("address")
        .prefetch_related(
            Prefetch(
                "memberships", queryset=current.order_by("role", "pk"), to_attr="current_members"
            ),
            Prefetch("involvements", queryset=mine, to_attr="mine"),
        )
        .order_by("address__street", "address__house_number", "address__house_letter", "pk")[
            : limit + 1
        ]
    )
    shown = page[:limit]
    grounds = visibility.household_grounds(user, shown)
    found = [
        FoundHousehold(
            household=household,
            members=household.current_members,  # type: ignore[attr-defined]
            ground=grounds[household.pk],
            lead=any(i.kind == Involvement.Kind.LEAD for i in household.mine),  # type: ignore[attr-defined]
        )
        for household in shown
        if household.pk in grounds
    ]
    return SearchResults(found=found, more=len(page) > limit)


def lead_workers(household_id: int) -> list[int]:
    """The household's lead worker(s) today."""
    return list(
        Involvement.objects.filter(household_id=household_id, kind=Involvement.Kind.LEAD)
        .filter(in_force())
        .values_list("worker_id", flat=True)
    )


def involved_workers(household_id: int) -> list[int]:
    """The workers involved in the household today: the lead worker and co-workers."""
    return list(
        Involvement.objects.filter(household_id=household_id)
        .filter(in_force())
        .values_list("worker_id", flat=True)
        .distinct()
    )
