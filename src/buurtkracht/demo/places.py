"""The map of the fictional municipality of Lindenhoven: districts, neighbourhoods, streets,
postcodes and the addresses along them.

Lindenhoven does not exist. Its CBS code GM9901 belongs to no real municipality, and its
districts and neighbourhoods (WK9901.., BU9901....) nest the way CBS codes do. Street
names are made from themes that Dutch towns really use (trees, flowers, painters, birds),
so they sound familiar, but the town they make up is invented.

Everything here is plain Python and depends only on the random generator it is given:
the same seed gives the same map, whatever the database.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

MUNICIPALITY_NAME = "Lindenhoven"
MUNICIPALITY_CODE = "GM9901"
# The first four-digit postcode area (PC4) handed out; neighbourhoods take the next ones
# as they fill up, so every neighbourhood has its own contiguous block.
FIRST_PC4 = 7401
LAST_PC4 = 9999
# Two letters after the digits; SA, SD and SS are never used (they recall the Nazi era).
LETTER_PAIRS: tuple[str, ...] = tuple(
    first + second
    for first in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for second in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if first + second not in {"SA", "SD", "SS"}
)

# Character of a neighbourhood: how people live there (flats or family houses) and,
# in population.py, who lives there (more singles in the centre, families on the edge).
CENTRE = "centre"
MIXED = "mixed"
FAMILY = "family"


@dataclass(frozen=True, slots=True)
class NeighbourhoodSpec:
    code: str  # BU + 8 digits
    name: str
    theme: str  # street-name theme, a key of STREET_THEMES
    character: str
    weight: float  # relative number of households


@dataclass(frozen=True, slots=True)
class DistrictSpec:
    code: str  # WK + 6 digits
    name: str
    team_name: str
    neighbourhoods: tuple[NeighbourhoodSpec, ...]


DISTRICTS: tuple[DistrictSpec, ...] = (
    DistrictSpec(
        code="WK990101",
        name="Centrum",
        team_name="Team Centrum",
        neighbourhoods=(
            NeighbourhoodSpec("BU99010101", "Binnenstad", "historic", CENTRE, 1.3),
            NeighbourhoodSpec("BU99010102", "Stationskwartier", "writers", CENTRE, 0.8),
            NeighbourhoodSpec("BU99010103", "Havenkwartier", "maritime", CENTRE, 0.6),
            NeighbourhoodSpec("BU99010104", "Sterrenwijk", "stars", MIXED, 1.0),
        ),
    ),
    DistrictSpec(
        code="WK990102",
        name="Oost",
        team_name="Team Oost",
        neighbourhoods=(
            NeighbourhoodSpec("BU99010201", "Bomenbuurt", "trees", MIXED, 1.4),
            NeighbourhoodSpec("BU99010202", "Bloemenbuurt", "flowers", MIXED, 1.0),
            NeighbourhoodSpec("BU99010203", "Vogelwijk", "birds", FAMILY, 0.7),
            NeighbourhoodSpec("BU99010204", "Vruchtenbuurt", "fruit", FAMILY, 0.5),
        ),
    ),
    DistrictSpec(
        code="WK990103",
        name="West",
        team_name="Team West",
        neighbourhoods=(
            NeighbourhoodSpec("BU99010301", "Schildersbuurt", "painters", MIXED, 1.6),
            NeighbourhoodSpec("BU99010302", "Componistenbuurt", "composers", FAMILY, 0.9),
            NeighbourhoodSpec("BU99010303", "Rivierenwijk", "rivers", MIXED, 1.2),
            NeighbourhoodSpec("BU99010304", "Heidepark", "landscape", FAMILY, 0.4),
        ),
    ),
)
NEIGHBOURHOODS: tuple[NeighbourhoodSpec, ...] = tuple(
    spec for district in DISTRICTS for spec in district.neighbourhoods
)
# The street of PRODUCT.md's third story; it opens the Bomenbuurt in Oost.
LINDENSTRAAT = "Lindenstraat"
LINDENSTRAAT_NEIGHBOURHOOD = "BU99010201"


def _stems(values: str) -> tuple[str, ...]:
    """The themes below are comma-separated text, so that one line holds many stems."""
    return tuple(value.strip() for value in values.split(",") if value.strip())


# Stems in the form they take in a compound: "Linden" + "straat" = Lindenstraat.
STREET_THEMES: dict[str, tuple[str, ...]] = {
    "historic": _stems(
        "Kerk, Molen, Toren, Brug, Poort, Wal, Veer, Klooster, Bakker, Smeden, Wever, Brouwer, "
        "Vis, Hout, Koren, Boter, Kaas, Hooi, Turf, Schutters, Gasthuis, Raadhuis, Munt, Waag, "
        "Kapel, Begijnen, Vleeshouwers, Pelser, Kuiper, Touw, Zadel, Lakenkopers"
    ),
    "writers": _stems(
        "Vondel, Bilderdijk, Multatuli, Hooft, Cats, Potgieter, Huygens, Bredero, Van Lennep, "
        "Da Costa, Beets, Tollens, Staring, Van Eeden, Gorter, Heijermans, Jacob van Maerlant, "
        "Hadewych, Guido Gezelle, Conscience, Slauerhoff, Marsman, Nescio, Boutens, Verwey, Kloos, "
        "Perk, Ter Braak"
    ),
    "maritime": _stems(
        "Anker, Roer, Zeil, Mast, Kompas, Boei, Sloep, Kotter, Schoener, Fregat, Loods, Vuurtoren, "
        "Kaap, Steiger, Sluis, Dok, Kraan, Pakhuis, Zeevaart, Haring, Netten, Tjalk, Botter, Aak, "
        "Klipper, Bolder, Golf, Getijden"
    ),
    "stars": _stems(
        "Mercurius, Venus, Mars, Jupiter, Saturnus, Uranus, Neptunus, Pluto, Sirius, Vega, Orion, "
        "Pegasus, Andromeda, Polaris, Capella, Castor, Pollux, Aldebaran, Betelgeuze, Cassiopeia, "
        "Draco, Lyra, Perseus, Kepler, Copernicus, Galilei, Huygens, Melkweg, Komeet, Planeten"
    ),
    "trees": _stems(
        "Linden, Eiken, Berken, Kastanje, Esdoorn, Iepen, Populieren, Wilgen, Beuken, Platanen, "
        "Acacia, Hazelaar, Vlier, Meidoorn, Lijsterbes, Hulst, Taxus, Elzen, Dennen, Sparren, "
        "Lariks, Ceder, Essen, Magnolia, Tamarisk, Sequoia, Ginkgo, Catalpa, Robinia, Haagbeuk"
    ),
    "flowers": _stems(
        "Rozen, Tulpen, Narcissen, Krokus, Lelie, Iris, Anjer, Dahlia, Goudsbloem, Zonnebloem, "
        "Klaproos, Korenbloem, Madelief, Violieren, Hyacint, Sering, Jasmijn, Lavendel, Akelei, "
        "Vergeet-mij-niet, Klaver, Boterbloem, Pinksterbloem, Margriet, Fresia, Gladiolen, "
        "Petunia, Anemoon, Primula, Ereprijs"
    ),
    "birds": _stems(
        "Merel, Lijster, Spreeuwen, Mees, Vink, Kievit, Reiger, Zwaluw, Specht, Uilen, Valken, "
        "Buizerd, Roodborst, Winterkoning, Koekoek, Nachtegaal, Leeuwerik, Ekster, Kraaien, "
        "Duiven, Zwanen, Fazant, Patrijs, Grutto, Tureluur, Wielewaal, IJsvogel, Kwartel, Fuut, "
        "Sperwer, Meeuwen, Wulp"
    ),
    "fruit": _stems(
        "Appel, Peren, Kersen, Pruimen, Bessen, Frambozen, Aardbeien, Druiven, Abrikozen, "
        "Perziken, Kweepeer, Moerbei, Walnoot, Hazelnoot, Mispel, Bramen, Vlierbes, Rabarber, "
        "Kruisbessen, Bosbessen, Cranberry, Boomgaard, Hoogstam, Goudreinet, Elstar, Conference, "
        "Morel, Notarisappel"
    ),
    "painters": _stems(
        "Rembrandt, Vermeer, Frans Hals, Jan Steen, Van Gogh, Mondriaan, Breitner, Israëls, "
        "Mesdag, Ruysdael, Hobbema, Avercamp, Potter, Ter Borch, De Hooch, Maris, Weissenbruch, "
        "Toorop, Escher, Van Ostade, Metsu, Van der Helst, Bosboom, Mauve, Jongkind, Van Goyen, "
        "Cuyp, Dou, Steen, Van Mieris, Saenredam"
    ),
    "composers": _stems(
        "Mozart, Bach, Beethoven, Chopin, Schubert, Haydn, Händel, Sweelinck, Vivaldi, Verdi, "
        "Puccini, Brahms, Mahler, Debussy, Ravel, Dvořák, Grieg, Sibelius, Schumann, Mendelssohn, "
        "Diepenbrock, Wagenaar, Andriessen, Röntgen, Zweers, Monteverdi, Purcell, Telemann, Bizet, "
        "Rossini"
    ),
    "rivers": _stems(
        "Rijn, Maas, Waal, IJssel, Vecht, Dinkel, Regge, Berkel, Lek, Linge, Amstel, Eem, Dommel, "
        "Roer, Geul, Niers, Schelde, Donau, Elbe, Moezel, Theems, Seine, Loire, Oder, Weser, Eems, "
        "Hunze, Drentse Aa, Reest, Vledder"
    ),
    "landscape": _stems(
        "Heide, Duin, Ven, Beek, Veld, Bos, Akker, Weide, Esch, Kamp, Hoeve, Brink, Horst, Hei, "
        "Broek, Donk, Hoeven, Wouden, Laren, Meer, Moer, Heuvel, Dal, Zand, Hage, Stuw, Gaarde, "
        "Lunet, Schans, Eng"
    ),
}
# Street types with their share; straat and laan dominate, as in every Dutch town.
STREET_SUFFIXES: tuple[tuple[str, float], ...] = (
    ("straat", 0.33),
    ("laan", 0.20),
    ("weg", 0.13),
    ("hof", 0.08),
    ("plein", 0.05),
    ("singel", 0.05),
    ("kade", 0.04),
    ("pad", 0.03),
    ("dreef", 0.03),
    ("erf", 0.03),
    ("park", 0.03),
)
# When a large neighbourhood has used every stem with every suffix (only at hundreds of
# thousands of households), it continues with the forms older towns have: Korte ...straat.
STREET_MODIFIERS = ("Korte", "Lange", "Nieuwe", "Oude", "Kleine", "Grote", "Eerste", "Tweede")

# How people live, per character: the chance that a house number is a family house, a
# divided town house or a flat building. A flat building holds ten or more homes, so of
# the addresses about 55% (centre), 35% (mixed) and 12% (family) are flats; nationally
# some 36% of homes are (CBS, woningvoorraad naar woningtype).
BUILDING_MIX: dict[str, tuple[float, float, float]] = {
    CENTRE: (0.63, 0.23, 0.14),
    MIXED: (0.885, 0.075, 0.04),
    FAMILY: (0.96, 0.03, 0.01),
}


def street_name(stem: str, suffix: str) -> str:
    """`Linden` + `straat` = `Lindenstraat`; `Frans Hals` + `laan` = `Frans Halslaan`."""
    return f"{stem}{suffix}"


class StreetNamer:
    """Hands out unique street names for one neighbourhood, from its theme.

    Each round walks the stems in a shuffled order and gives each an unused suffix, so the
    first streets of a neighbourhood are varied, and a name is never used twice in the town.
    """

    def __init__(self, rng: random.Random, theme: str, used: set[str]) -> None:
        self._rng = rng
        self._stems = list(STREET_THEMES[theme])
        self._used = used
        self._suffixes = [suffix for suffix, _ in STREET_SUFFIXES]
        self._suffix_weights = [weight for _, weight in STREET_SUFFIXES]

    def reserve(self, name: str) -> str:
        self._used.add(name)
        return name

    def __iter__(self) -> Iterator[str]:
        for modifier in ("", *STREET_MODIFIERS):
            while True:
                stems = self._stems[:]
                self._rng.shuffle(stems)
                produced = False
                for stem in stems:
                    name = self._pick(modifier, stem)
                    if name is not None:
                        produced = True
                        yield name
                if not produced:
                    break
        raise RuntimeError("Street names ran out; add stems to STREET_THEMES.")

    def _pick(self, modifier: str, stem: str) -> str | None:
        free = [
            (suffix, weight)
            for suffix, weight in zip(self._suffixes, self._suffix_weights, strict=True)
            if self._full(modifier, stem, suffix) not in self._used
        ]
        if not free:
            return None
        suffix = self._rng.choices([s for s, _ in free], weights=[w for _, w in free])[0]
        return self.reserve(self._full(modifier, stem, suffix))

    @staticmethod
    def _full(modifier: str, stem: str, suffix: str) -> str:
        name = street_name(stem, suffix)
        return f"{modifier} {name}" if modifier else name


class PostcodeBook:
    """Hands out four-digit postcode areas (PC4) in order, one block per neighbourhood.

    Because neighbourhoods are filled one after another, each one's PC4 numbers are
    contiguous; a large neighbourhood simply takes more of them. With 673 letter pairs per
    PC4 and about fourteen addresses per postcode, one PC4 holds some 9,000 addresses,
    so 500,000 households need about sixty of the 2,599 numbers available.
    """

    def __init__(self) -> None:
        self._next = FIRST_PC4

    def open(self) -> int:
        if self._next > LAST_PC4:
            raise RuntimeError("The postcode space of Lindenhoven is full.")
        number = self._next
        self._next += 1
        return number


class PostcodeCursor:
    """The postcodes of one neighbourhood: 7401AA, 7401AB, … then the next PC4 it opens."""

    def __init__(self, book: PostcodeBook) -> None:
        self._book = book
        self._pc4: int | None = None
        self._index = len(LETTER_PAIRS)

    def next(self) -> str:
        if self._index >= len(LETTER_PAIRS):
            self._pc4 = self._book.open()
            self._index = 0
        pair = LETTER_PAIRS[self._index]
        self._index += 1
        return f"{self._pc4}{pair}"


@dataclass(slots=True)
class AddressPlan:
    street: str
    house_number: int
    house_letter: str
    addition: str
    postcode: str


def _building(rng: random.Random, character: str) -> list[tuple[str, str]]:
    """The homes behind one house number, as (house letter, addition) pairs.

    A family house is one address; a divided town house is a ground floor and an upper
    floor (12 and 12A, or 12-H and 12-1); a flat building has one address per flat
    (12-1 … 12-8, sometimes lettered).
    """
    house, split, _flat = BUILDING_MIX[character]
    draw = rng.random()
    if draw < house:
        # Now and then a house built later between two others gets a letter: 14A.
        return [("A" if rng.random() < 0.03 else "", "")]
    if draw < house + split:
        style = rng.random()
        if style < 0.5:
            return [("", ""), ("A", "")]
        if style < 0.75:
            return [("A", ""), ("B", "")]
        floors = rng.randint(2, 3)
        return [("", "H"), *[("", str(floor)) for floor in range(1, floors + 1)]]
    units = rng.randint(4, 16) if character == CENTRE else rng.randint(6, 24)
    if rng.random() < 0.2:
        return [("", chr(ord("A") + unit)) for unit in range(min(units, 12))]
    return [("", str(unit)) for unit in range(1, units + 1)]


def address_stream(
    rng: random.Random, spec: NeighbourhoodSpec, book: PostcodeBook, used_streets: set[str]
) -> Iterator[AddressPlan]:
    """An endless walk along the streets of one neighbourhood, address by address.

    A street has an odd and an even side; each side is cut into postcodes of about
    fourteen addresses, as PostNL does. The caller stops when the neighbourhood is full,
    so no street list is ever held in memory.
    """
    namer = StreetNamer(rng, spec.theme, used_streets)
    postcodes = PostcodeCursor(book)
    streets: Iterator[str] = iter(namer)
    if spec.code == LINDENSTRAAT_NEIGHBOURHOOD and LINDENSTRAAT not in used_streets:
        first = namer.reserve(LINDENSTRAAT)
        rest = streets
        streets = _prepend(first, rest)
    for street in streets:
        for side in (1, 2):
            buildings = rng.randint(3, 60)
            number = side
            while buildings > 0:
                postcode = postcodes.next()
                target = rng.randint(6, 22)
                in_postcode = 0
                while buildings > 0 and in_postcode < target:
                    for letter, addition in _building(rng, spec.character):
                        yield AddressPlan(street, number, letter, addition, postcode)
                        in_postcode += 1
                    number += 2
                    buildings -= 1


def _prepend(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def households_per_neighbourhood(total: int) -> list[int]:
    """Split `total` over the neighbourhoods by weight (largest remainder), summing exactly."""
    weights = [spec.weight for spec in NEIGHBOURHOODS]
    scale = total / sum(weights)
    exact = [weight * scale for weight in weights]
    counts = [int(value) for value in exact]
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - counts[i]), i))
    for index in order[: total - sum(counts)]:
        counts[index] += 1
    return counts
