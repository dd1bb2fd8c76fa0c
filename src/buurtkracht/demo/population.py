"""Households and the people in them, planned in plain Python before they are stored.

The mix follows CBS figures for the Netherlands (about 8.1 million households, 2.1 persons
on average): some 38% live alone, 28% are couples without children at home, 25% couples
with children, 7% single parents, and a small rest of housemates, adult children caring
for a parent, siblings, or grandparents raising a grandchild. The centre has more people
living alone, the edge of town more families.

Ages are plausible relative to each other: a mother is 20 to 40 years older than her
eldest child, partners are a few years apart, a parent living in is a generation older.
Married women use their partner's name as often as their generation and origin do
(naamgebruik: partner's name, partner's name before their own, or their own before it),
with the birth name kept apart.

The people are random combinations of common names (see names.py): real people do not
appear. Their ages are counted from REFERENCE_DATE, a fixed day, so that a seed gives the
same dates of birth on any day the generator runs.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from buurtkracht.demo import names
from buurtkracht.demo.names import Origin, Surname
from buurtkracht.demo.places import CENTRE, FAMILY, MIXED
from buurtkracht.households.models import Membership

REFERENCE_DATE = dt.date(2026, 1, 1)
OLDEST_AGE = 95

SINGLE = "single"
COUPLE = "couple"
COUPLE_WITH_CHILDREN = "couple_with_children"
SINGLE_PARENT = "single_parent"
OTHER = "other"
HOUSEHOLD_KINDS = (SINGLE, COUPLE, COUPLE_WITH_CHILDREN, SINGLE_PARENT, OTHER)

# Share of each kind per neighbourhood character. Weighted by the neighbourhood sizes in
# places.py this gives the national mix: about 38% single and 2.1 persons per household.
KIND_WEIGHTS: dict[str, tuple[float, ...]] = {
    CENTRE: (0.52, 0.27, 0.12, 0.06, 0.03),
    MIXED: (0.37, 0.28, 0.25, 0.08, 0.02),
    FAMILY: (0.27, 0.28, 0.36, 0.07, 0.02),
}

# People living alone: many young adults and, above all, the elderly (mostly widows).
SINGLE_AGE_BANDS = ((18, 29), (30, 49), (50, 69), (70, OLDEST_AGE))
SINGLE_AGE_WEIGHTS = (30, 22, 22, 26)

Role = Membership.Role

_ASCII_EXTRA = str.maketrans(
    {"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "'": "", "’": ""}
)
_EMAIL_DOMAINS = ("example.com", "example.net", "example.org")  # reserved, never delivered


@dataclass(slots=True)
class PersonPlan:
    """One resident as it will be stored; `sex` and `origin` only steer the names."""

    sex: str
    origin: Origin
    given_names: list[str]
    surname_prefix: str
    surname: str
    date_of_birth: dt.date
    birth_surname_prefix: str = ""
    birth_surname: str = ""
    bsn: str | None = None
    phone: str = ""
    email: str = ""

    @property
    def initials(self) -> str:
        return names.initials_for(self.given_names)

    @property
    def birth_name(self) -> Surname:
        """The name the person was born with, also after taking a partner's name."""
        if self.birth_surname:
            return Surname(self.birth_surname_prefix, self.birth_surname)
        return Surname(self.surname_prefix, self.surname)


@dataclass(slots=True)
class MemberPlan:
    person: PersonPlan
    role: str
    start_date: dt.date


@dataclass(slots=True)
class HouseholdPlan:
    kind: str
    start_date: dt.date
    members: list[MemberPlan] = field(default_factory=list)


def age_on(date_of_birth: dt.date, day: dt.date = REFERENCE_DATE) -> int:
    """Completed years on `day`."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


class BsnIssuer:
    """Unique, valid citizen service numbers without remembering the ones handed out.

    The first eight digits run through an affine permutation of 0..99,999,999 (a bijection,
    so never a repeat); the ninth digit makes the eleven-test pass, and a prefix for which
    no digit can is skipped. The numbers are random: none is linked to a real person.
    """

    _SPACE = 100_000_000

    def __init__(self, rng: random.Random) -> None:
        multiplier = rng.randrange(10_000_001, self._SPACE, 2)
        while multiplier % 5 == 0:
            multiplier += 2
        self._multiplier = multiplier
        self._offset = rng.randrange(self._SPACE)
        self._index = 0

    def issue(self) -> str:
        while True:
            prefix = (self._multiplier * self._index + self._offset) % self._SPACE
            self._index += 1
            digits = f"{prefix:08d}"
            check = sum((9 - i) * int(d) for i, d in enumerate(digits)) % 11
            if check < 10:
                return f"{digits}{check}"


def ascii_slug(value: str) -> str:
    """`Yılmaz` -> `yilmaz`, `van 't Hof` -> `vanthof`: for e-mail addresses and usernames."""
    plain = unicodedata.normalize("NFKD", value.translate(_ASCII_EXTRA))
    return "".join(ch for ch in plain.lower() if ch.isascii() and ch.isalnum())


class PopulationPlanner:
    """Plans households one at a time from a seeded random generator."""

    def __init__(self, rng: random.Random, bsn_rng: random.Random) -> None:
        self.rng = rng
        self.bsns = BsnIssuer(bsn_rng)

    # People -----------------------------------------------------------------------------

    def birth_date(self, age: int) -> dt.date:
        """A date of birth that makes the person `age` on REFERENCE_DATE."""
        latest = _years_before(REFERENCE_DATE, age)
        days = self.rng.randrange(365)
        # A baby is born before the reference day, never on it: it joins its household on
        # its birthday, and that must lie in the past.
        return latest - dt.timedelta(days=max(days, 1) if age == 0 else days)

    def person(
        self,
        *,
        sex: str,
        age: int,
        origin: Origin | None = None,
        surname: Surname | None = None,
        name_origin: Origin | None = None,
    ) -> PersonPlan:
        """A person of that sex and age; children pass the family's surname."""
        origin = origin or names.choose_origin(self.rng, age)
        date_of_birth = self.birth_date(age)
        given = names.given_names(self.rng, name_origin or origin, sex, date_of_birth.year)
        family = surname or self.rng.choice(origin.surnames)
        family = names.surname_for_sex(family, origin, sex)
        person = PersonPlan(
            sex=sex,
            origin=origin,
            given_names=given,
            surname_prefix=family.prefix,
            surname=family.name,
            date_of_birth=date_of_birth,
        )
        self._contact_details(person, age)
        return person

    def _contact_details(self, person: PersonPlan, age: int) -> None:
        """Fill the optional fields the way a municipality's records have them: mostly."""
        rng = self.rng
        if age >= 18 and rng.random() < 0.25:
            person.bsn = self.bsns.issue()
        if age >= 12 and rng.random() < (0.68 if age >= 18 else 0.35):
            if age >= 70 and rng.random() < 0.5:
                # Older residents often give a landline: a regional 05xx number.
                person.phone = f"05{rng.randint(10, 99)}{rng.randint(100000, 999999)}"
            else:
                person.phone = f"06{rng.randint(10000000, 99999999)}"
        if age >= 18 and rng.random() < 0.35:
            local = ascii_slug(person.given_names[0]) or "bewoner"
            surname = ascii_slug(f"{person.surname_prefix}{person.surname}") or "lindenhoven"
            person.email = f"{local}.{surname}{rng.randint(1, 999)}@{rng.choice(_EMAIL_DOMAINS)}"

    def take_partner_name(self, person: PersonPlan, partner: Surname, married: bool) -> None:
        """Naamgebruik: a married woman may use her partner's name; keep her birth name.

        Older generations did this far more often; the share also differs by origin.
        """
        if not married or person.sex != "f":
            return
        birth_year = person.date_of_birth.year
        if birth_year < 1950:
            chance = 0.75
        elif birth_year < 1970:
            chance = 0.5
        elif birth_year < 1990:
            chance = 0.22
        else:
            chance = 0.08
        if self.rng.random() >= min(0.95, chance * person.origin.partner_name_factor):
            return
        own = person.birth_name
        partner = names.surname_for_sex(partner, person.origin, "f")
        if partner.name == own.name and partner.prefix == own.prefix:
            return
        style = self.rng.choices(("P", "V", "N"), weights=(60, 33, 7))[0]
        person.birth_surname_prefix, person.birth_surname = own.prefix, own.name
        if style == "P":  # partner's name
            person.surname_prefix, person.surname = partner.prefix, partner.name
        elif style == "V":  # partner's name, then own: Jansen-de Vries
            person.surname_prefix, person.surname = partner.prefix, f"{partner.name}-{own.full}"
        else:  # own name, then partner's: de Vries-Jansen
            person.surname_prefix, person.surname = own.prefix, f"{own.name}-{partner.full}"

    # Households -------------------------------------------------------------------------

    def household(self, character: str) -> HouseholdPlan:
        kind = self.rng.choices(HOUSEHOLD_KINDS, weights=KIND_WEIGHTS[character])[0]
        if kind == SINGLE:
            return self._single()
        if kind == COUPLE:
            return self._couple()
        if kind == COUPLE_WITH_CHILDREN:
            return self._couple_with_children()
        if kind == SINGLE_PARENT:
            return self._single_parent()
        return self._other()

    def _moved_in(self, youngest_adult: dt.date) -> dt.date:
        """Moved in once the youngest adult was 18, at most 45 years ago, at least two
        weeks ago."""
        days_alive = (REFERENCE_DATE - youngest_adult).days
        days_as_adult = min(days_alive - round(18 * 365.25), 45 * 365)
        days_back = self.rng.randint(14, max(14, days_as_adult))
        return REFERENCE_DATE - dt.timedelta(days=days_back)

    def _plan(self, kind: str, members: Sequence[tuple[PersonPlan, str]]) -> HouseholdPlan:
        adults = [p for p, role in members if role != Role.CHILD and age_on(p.date_of_birth) >= 18]
        start = self._moved_in(max(p.date_of_birth for p in adults))
        plan = HouseholdPlan(kind=kind, start_date=start)
        for person, role in members:
            joined = max(start, person.date_of_birth)
            if role == Role.PARTNER and self.rng.random() < 0.15:
                # Some partners moved in later than the main resident.
                span = (REFERENCE_DATE - joined).days
                joined += dt.timedelta(days=self.rng.randint(0, max(0, span - 14)))
            plan.members.append(MemberPlan(person, role, joined))
        return plan

    def _sex(self, female_share: float = 0.5) -> str:
        return "f" if self.rng.random() < female_share else "m"

    def _single(self) -> HouseholdPlan:
        rng = self.rng
        low, high = rng.choices(SINGLE_AGE_BANDS, weights=SINGLE_AGE_WEIGHTS)[0]
        age = rng.randint(low, high)
        person = self.person(sex=self._sex(0.68 if age >= 70 else 0.48), age=age)
        if age >= 65:
            # A widow may still use her late husband's name.
            late_partner = rng.choice(person.origin.surnames)
            self.take_partner_name(person, late_partner, married=rng.random() < 0.7)
        return self._plan(SINGLE, [(person, Role.HEAD)])

    def _partner_age(self, age: int, sex: str) -> int:
        """Men are on average some two and a half years older than their female partner."""
        gap = round(self.rng.gauss(2.5, 3.5))
        partner = age - gap if sex == "m" else age + gap
        return max(18, min(OLDEST_AGE, partner))

    def _pair(self, first_age: int) -> tuple[PersonPlan, PersonPlan, bool]:
        """Two partners; returns (head, partner, same_sex). One couple in fifty is same-sex."""
        rng = self.rng
        same_sex = rng.random() < 0.02
        head_sex = self._sex()
        partner_sex = head_sex if same_sex else ("m" if head_sex == "f" else "f")
        head = self.person(sex=head_sex, age=first_age)
        partner_origin = head.origin if rng.random() < 0.85 else None
        partner_age = (
            max(18, min(OLDEST_AGE, first_age + rng.randint(-6, 6)))
            if same_sex
            else self._partner_age(first_age, head_sex)
        )
        partner = self.person(sex=partner_sex, age=partner_age, origin=partner_origin)
        return head, partner, same_sex

    def _marry(self, head: PersonPlan, partner: PersonPlan, married: bool) -> None:
        for woman, man in ((head, partner), (partner, head)):
            if woman.sex == "f" and man.sex == "m":
                self.take_partner_name(woman, man.birth_name, married)

    def _couple(self) -> HouseholdPlan:
        rng = self.rng
        young = rng.random() < 0.4
        age = rng.randint(21, 38) if young else rng.randint(50, 90)
        head, partner, _ = self._pair(age)
        self._marry(head, partner, married=rng.random() < (0.45 if young else 0.85))
        return self._plan(COUPLE, [(head, Role.HEAD), (partner, Role.PARTNER)])

    def _children_ages(self, weights: tuple[int, ...]) -> list[int]:
        """Ages of the children at home: the youngest under 18, two to four years apart.

        Some eldest children are young adults still living at home, as in real families.
        """
        rng = self.rng
        count = rng.choices(range(1, len(weights) + 1), weights=weights)[0]
        ages = [rng.randint(0, 17)]
        for _ in range(count - 1):
            ages.append(ages[-1] + rng.choice((1, 2, 2, 3, 3, 4)))
        while ages[-1] > 24:
            ages = [age - 1 for age in ages] if ages[0] > 0 else ages[:-1]
        return ages

    def _mother_age(self, children: list[int]) -> int:
        """Mother was 20-40 at the eldest's birth and at most 45 at the youngest's."""
        at_first_birth = round(self.rng.triangular(20, 40, 30))
        age = children[-1] + at_first_birth
        return min(age, children[0] + 45)

    def _children(
        self, parent: PersonPlan, other: PersonPlan | None, surname: Surname, ages: list[int]
    ) -> list[tuple[PersonPlan, str]]:
        result: list[tuple[PersonPlan, str]] = []
        for age in sorted(ages, reverse=True):
            name_origin = parent.origin
            if other is not None and self.rng.random() < 0.5:
                name_origin = other.origin
            child = self.person(
                sex=self._sex(0.49),
                age=age,
                origin=parent.origin,
                surname=surname,
                name_origin=name_origin,
            )
            result.append((child, Role.CHILD))
        return result

    def _couple_with_children(self) -> HouseholdPlan:
        rng = self.rng
        ages = self._children_ages((40, 43, 13, 3, 1))
        mother_age = self._mother_age(ages)
        same_sex = rng.random() < 0.02
        mother = self.person(sex="f", age=mother_age)
        if same_sex:
            other_age = max(ages[-1] + 18, min(OLDEST_AGE, mother_age + rng.randint(-5, 5)))
            other = self.person(sex="f", age=other_age, origin=mother.origin)
            family = mother.birth_name
        else:
            other_origin = mother.origin if rng.random() < 0.85 else None
            father_age = max(ages[-1] + 18, self._partner_age(mother_age, "f"))
            other = self.person(sex="m", age=min(OLDEST_AGE, father_age), origin=other_origin)
            self.take_partner_name(mother, other.birth_name, married=rng.random() < 0.7)
            # Since 1998 parents may give their mother's name; few do.
            family = other.birth_name if rng.random() < 0.95 else mother.birth_name
        children = self._children(mother, other, family, ages)
        head, partner = (mother, other) if rng.random() < 0.5 else (other, mother)
        return self._plan(
            COUPLE_WITH_CHILDREN, [(head, Role.HEAD), (partner, Role.PARTNER), *children]
        )

    def _single_parent(self) -> HouseholdPlan:
        rng = self.rng
        ages = self._children_ages((55, 35, 10))
        sex = self._sex(0.82)
        parent_age = self._mother_age(ages)
        if sex == "m":
            parent_age = min(OLDEST_AGE, max(ages[-1] + 18, self._partner_age(parent_age, "f")))
        parent = self.person(sex=sex, age=parent_age)
        if sex == "f" and rng.random() < 0.65:
            # The children carry their father's name, who lives elsewhere.
            father_origin = parent.origin if rng.random() < 0.8 else names.choose_origin(rng, 30)
            family = names.surname_for_sex(rng.choice(father_origin.surnames), father_origin, "m")
        else:
            family = parent.birth_name
        children = self._children(parent, None, family, ages)
        return self._plan(SINGLE_PARENT, [(parent, Role.HEAD), *children])

    def _other(self) -> HouseholdPlan:
        rng = self.rng
        variants = ("housemates", "parent", "siblings", "grandchild")
        variant = rng.choices(variants, weights=(45, 25, 15, 15))[0]
        if variant == "housemates":
            members = [(self.person(sex=self._sex(), age=rng.randint(18, 30)), Role.HEAD)]
            for _ in range(rng.choice((1, 1, 2, 3))):
                members.append(
                    (self.person(sex=self._sex(), age=rng.randint(18, 30)), Role.HOUSEMATE)
                )
            return self._plan(OTHER, members)
        if variant == "parent":
            # An adult child who took in an elderly parent.
            head_age = rng.randint(40, 65)
            head = self.person(sex=self._sex(), age=head_age)
            parent_age = min(OLDEST_AGE, head_age + rng.randint(22, 38))
            parent_sex = self._sex(0.7)
            if parent_sex == "m":
                parent = self.person(
                    sex="m", age=parent_age, origin=head.origin, surname=head.birth_name
                )
            else:
                parent = self.person(sex="f", age=parent_age, origin=head.origin)
                self.take_partner_name(parent, head.birth_name, married=True)
            return self._plan(OTHER, [(head, Role.HEAD), (parent, Role.PARENT)])
        if variant == "siblings":
            head_age = rng.randint(40, 85)
            head = self.person(sex=self._sex(), age=head_age)
            sibling_age = max(18, min(OLDEST_AGE, head_age + rng.randint(-8, 8)))
            sibling = self.person(
                sex=self._sex(), age=sibling_age, origin=head.origin, surname=head.birth_name
            )
            return self._plan(OTHER, [(head, Role.HEAD), (sibling, Role.OTHER_RELATIVE)])
        # A grandparent raising a grandchild.
        head_age = rng.randint(55, 75)
        head = self.person(sex=self._sex(0.65), age=head_age)
        grandchild = self.person(
            sex=self._sex(), age=rng.randint(3, 17), origin=head.origin, surname=head.birth_name
        )
        return self._plan(OTHER, [(head, Role.HEAD), (grandchild, Role.OTHER_RELATIVE)])
