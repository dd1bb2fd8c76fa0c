"""Files that may exist already: at the address, or of the same person elsewhere."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.core.models import Address
from buurtkracht.core.names import name_tokens
from buurtkracht.core.queries import not_ended
from buurtkracht.households.models import Household, Person

if TYPE_CHECKING:
    from buurtkracht.accounts.models import User


@dataclass
class ExistingFile:
    household: Household
    visible: bool
    teams: list[str]


class ExistingFilesFound(ValidationError):
    """There are files at this address already: offer them before making another."""

    def __init__(self, files: list[ExistingFile]) -> None:
        super().__init__(
            _(
                "There is already a file at this address. Open it if you may, or ask its team. "
                "Only if it is really another household: tick the box and save again."
            ),
            code="existing_file",
        )
        self.files = files


def existing_files(*, user: User, address: Address) -> list[ExistingFile]:
    """The households living at `address` now, and whether `user` may open each."""
    households = list(
        Household.objects.filter(address=address, end_date__isnull=True).prefetch_related(
            "address__neighbourhood__teams"
        )
    )
    visible = set(
        Household.objects.visible_to(user)
        .filter(pk__in=[h.pk for h in households])
        .values_list("pk", flat=True)
    )
    teams = [t.name for t in address.neighbourhood.teams.all()] if address.neighbourhood else []
    return [ExistingFile(h, h.pk in visible, teams) for h in households]


def _worked_with(household: Household) -> bool:
    today = timezone.localdate()
    return household.involvements.filter(not_ended(today)).exists()


def _files_of_persons(*, user: User, name: str, date_of_birth: Any) -> list[ExistingFile]:
    """Files of households where someone born on `date_of_birth` lives whose surname (or
    birth surname) is one of the words of `name`. A date of birth is shared by a few dozen
    people in a large town, so the date narrows first and the name decides."""
    words = name_tokens(name)
    persons = [
        p
        for p in Person.objects.filter(date_of_birth=date_of_birth)
        if name_tokens(p.surname) <= words
        or (p.birth_surname and name_tokens(p.birth_surname) <= words)
    ]
    if not persons:
        return []
    today = timezone.localdate()
    households = (
        Household.objects.filter(
            end_date__isnull=True,
            memberships__person__in=persons,
        )
        .filter(not_ended(today, prefix="memberships__"))
        .select_related("address__neighbourhood")
        .distinct()
    )
    found: list[ExistingFile] = []
    for household in households:
        found.extend(
            f
            for f in existing_files(user=user, address=household.address)
            if f.household.pk == household.pk
        )
    return found
