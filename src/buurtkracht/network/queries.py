"""Reads for the network map: the ties of a resident today or on a past date, the saved
versions, and what changed between two moments. Callers have passed the guard
(buurtkracht.households.guard.household_for_request) for the household first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.households.models import Household, Person
from buurtkracht.network.drawing import TieState
from buurtkracht.network.models import (
    Closeness,
    ContactState,
    Energy,
    Kind,
    NetworkVersion,
    Quality,
    Support,
    Tie,
)


def centre_people(household: Household) -> list[Person]:
    """The people who can be at the centre of a map: the household's current members."""
    return [m.person for m in household.current_memberships().select_related("person")]


def ties_on(household: Household, person: Person, on: dt.date | None = None) -> QuerySet[Tie]:
    """The ties on the map of `person` on a day (today by default): added by then and not
    yet ended. Attributes are as they are now; a saved version keeps them as they were."""
    on = on or timezone.localdate()
    return (
        Tie.objects.filter(household=household, person=person, added_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .order_by("closeness", "added_on", "pk")
    )


def ended_ties(household: Household, person: Person) -> QuerySet[Tie]:
    today = timezone.localdate()
    return Tie.objects.filter(household=household, person=person, ended_on__lte=today).order_by(
        "-ended_on", "-pk"
    )


def tie_state(tie: Tie) -> TieState:
    return TieState(
        key=tie.pk,
        name=tie.name,
        kind=tie.kind,
        relation=tie.relation,
        support=tuple(tie.support),
        closeness=tie.closeness,
        quality=tie.quality,
        energy=tie.energy,
        contact=tie.contact,
        restored=tie.restored,
        do_not_contact=tie.do_not_contact,
    )


def version_states(version: NetworkVersion) -> list[TieState]:
    return [TieState.from_json(item) for item in version.ties]


def versions_of(household: Household, person: Person) -> QuerySet[NetworkVersion]:
    return NetworkVersion.objects.filter(household=household, person=person).order_by(
        "saved_on", "pk"
    )


def owner_choices(household: Household) -> list[tuple[int, str]]:
    """Ties that can do a plan action (step 2, network): current ties of the household's
    members, except people the resident does not want contacted."""
    today = timezone.localdate()
    ties = (
        Tie.objects.filter(household=household, do_not_contact=False, added_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .order_by("name", "pk")
    )
    return [(tie.pk, f"{tie.name} ({tie.relation or tie.get_kind_display()})") for tie in ties]


# Labels for the text table and the comparison, in the user's language.
def label_of(attribute: str, value: object) -> str:
    enums = {
        "kind": Kind,
        "quality": Quality,
        "energy": Energy,
        "contact": ContactState,
        "closeness": Closeness,
    }
    if attribute == "support":
        values = value if isinstance(value, list | tuple) else []
        return ", ".join(str(Support(s).label) for s in values if s in Support.values) or "—"
    if attribute in ("restored", "do_not_contact"):
        return _("yes") if value else _("no")
    enum = enums.get(attribute)
    if enum is not None and value in enum.values:
        return str(enum(value).label)
    return str(value or "—")


def attribute_label(attribute: str) -> str:
    labels = {
        "kind": _("Who it is"),
        "relation": _("Relation"),
        "support": _("Support"),
        "closeness": _("How close"),
        "quality": _("The tie"),
        "energy": _("Energy"),
        "contact": _("Contact"),
        "restored": _("Restored contact"),
        "do_not_contact": _("Do not contact"),
    }
    return labels.get(attribute, attribute)


@dataclass
class Change:
    attribute: str
    label: str
    before: str
    after: str


@dataclass
class ChangedTie:
    tie: TieState
    changes: list[Change] = field(default_factory=list)


@dataclass
class Comparison:
    before: list[TieState]
    after: list[TieState]
    added: list[TieState]
    ended: list[TieState]
    changed: list[ChangedTie]
    unchanged: int

    @property
    def restored_after(self) -> int:
        return sum(1 for tie in self.after if tie.restored)


COMPARED = (
    "kind",
    "relation",
    "support",
    "closeness",
    "quality",
    "energy",
    "contact",
    "restored",
    "do_not_contact",
)


def compare(before: list[TieState], after: list[TieState]) -> Comparison:
    """What was added, what ended and what changed between two moments of a map. Ties are
    matched by their identity, so a renamed tie is a change, not an end and a start."""
    old = {tie.key: tie for tie in before}
    new = {tie.key: tie for tie in after}
    added = [tie for key, tie in new.items() if key not in old]
    ended = [tie for key, tie in old.items() if key not in new]
    changed: list[ChangedTie] = []
    unchanged = 0
    for key, tie in new.items():
        if key not in old:
            continue
        previous = old[key]
        changes = []
        if previous.name != tie.name:
            changes.append(Change("name", _("Name"), previous.name, tie.name))
        for attribute in COMPARED:
            a, b = getattr(previous, attribute), getattr(tie, attribute)
            if attribute == "support":
                a, b = tuple(sorted(a)), tuple(sorted(b))
            if a != b:
                changes.append(
                    Change(
                        attribute,
                        attribute_label(attribute),
                        label_of(attribute, a),
                        label_of(attribute, b),
                    )
                )
        if changes:
            changed.append(ChangedTie(tie, changes))
        else:
            unchanged += 1
    return Comparison(before, after, added, ended, changed, unchanged)
