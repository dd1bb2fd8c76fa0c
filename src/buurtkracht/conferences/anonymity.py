"""What in a text would name a household: the residents' names, the street and postcode,
a date of birth. Everything participants without a ground read about a case (the
anonymised description, the question, the decision and its reasons, an action decided, a
precedent) is checked against it before it is saved."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils import formats

from buurtkracht.core.queries import in_force
from buurtkracht.households.models import Household, Person

# Names shorter than this ("Li", "Ng") would be found inside ordinary words.
SHORTEST_NAME = 3


def _dates(person: Person) -> Iterable[str]:
    born = person.date_of_birth
    if born is None:
        return ()
    return {
        born.strftime("%d-%m-%Y"),
        born.strftime("%d/%m/%Y"),
        born.isoformat(),
        f"{born.day}-{born.month}-{born.year}",
        formats.date_format(born, "j F Y"),
    }


def identifying_words(household: Household) -> list[str]:
    """The words that would name this household: its current and former members' given
    names and surnames, its street and postcode, their dates of birth."""
    words: set[str] = set()
    address = household.address
    words.update({address.street, address.postcode, address.postcode.replace(" ", "")})
    people = Person.objects.filter(
        pk__in=household.memberships.filter(in_force()).values("person_id")
    )
    for person in people:
        words.update(person.given_names.split())
        words.update({person.surname, person.full_surname, person.birth_surname})
        words.update(_dates(person))
    return sorted(word for word in words if len(word.strip()) >= SHORTEST_NAME)


def names_household(text: str, words: Iterable[str]) -> bool:
    """Whether `text` contains one of `words` as a whole word (case does not matter)."""
    for word in words:
        pattern = r"(?<!\w)" + re.escape(word.strip()) + r"(?!\w)"
        if re.search(pattern, text, flags=re.IGNORECASE):
            return True
    return False
