"""The columns that partners use in signal files, the kinds of partner, and how the
values in those columns are written.

Every partner exports from its own system, so one column goes by many names: "Kenmerk",
"Dossiernummer", "Partner reference". `HEADER_SPELLINGS` lists the names we accept per
field, in order of preference: when a file has two columns for one field ("Naam" and
"Achternaam"), the spelling listed first wins and the other is reported as not used.
The documentation renders this table, so partners can see which names work.

Names are compared by `header_key`: case, spaces, dots, underscores, hyphens, a `*` or
`:` and a part in brackets ("Bedrag (EUR)") do not count.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CANONICAL_FIELDS: tuple[str, ...] = (
    "partner_reference",
    "partner_kind",
    "signal_date",
    "initials",
    "given_names",
    "surname_prefix",
    "surname",
    "date_of_birth",
    "street",
    "house_number",
    "house_letter",
    "addition",
    "postcode",
    "town",
    "amount",
    "missed_terms",
    "end_of_supply_date",
)

# Without these a signal cannot be traced to a household at an address (a signal under the
# Wet gemeentelijke schuldhulpverlening is about one), nor told apart from the next one,
# nor be a signal of arrears at all.
REQUIRED_FIELDS: tuple[str, ...] = (
    "partner_reference",
    "signal_date",
    "surname",
    "postcode",
    "house_number",
    "amount",  # a signal is about arrears (Wgs): no amount, no signal
)

HEADER_SPELLINGS: dict[str, tuple[str, ...]] = {
    "partner_reference": (
        "Kenmerk",
        "Referentie",
        "Dossiernummer",
        "Klantnummer",
        "Contractnummer",
        "Reference",
        "Partner reference",
        "Kenm.",
        "Ref.",
        "Ref. nr.",
        "Referentienummer",
        "Dossiernr.",
        "Klantnr.",
        "Contractnr.",
        "Reference number",
        "Customer number",
        "Contract number",
        "Case number",
    ),
    "partner_kind": (
        "Soort partner",
        "Type partner",
        "Partnertype",
        "Sector",
        "Partner kind",
        "Partner type",
    ),
    "signal_date": (
        "Signaaldatum",
        "Datum signaal",
        "Meldingsdatum",
        "Datum melding",
        "Datum",
        "Signal date",
        "Signaaldat.",
        "Meldingsdat.",
        "Date",
        "Date of signal",
        "Report date",
    ),
    "initials": ("Voorletters", "Initialen", "Voorl.", "Vl.", "Vrl.", "Initials"),
    "given_names": (
        "Voornamen",
        "Voornaam",
        "Roepnaam",
        "Given names",
        "First name",
        "First names",
        "Voorn.",
        "Given name",
        "Forename",
        "Forenames",
    ),
    "surname_prefix": (
        "Tussenvoegsel",
        "Tussenvoegsels",
        "Voorvoegsel",
        "Voorvoegsels",
        "Surname prefix",
        "Prefix",
        "Tussenv.",
        "Tussenvg.",
        "Tussenvoegs.",
        "Tv.",
        "Voorv.",
        "Name prefix",
    ),
    "surname": (
        "Achternaam",
        "Geslachtsnaam",
        "Naam",
        "Achtern.",
        "Geslachtsn.",
        "Surname",
        "Last name",
        "Family name",
        "Name",
    ),
    "date_of_birth": (
        "Geboortedatum",
        "Geb. datum",
        "Geb.datum",
        "Date of birth",
        "Birth date",
        "DOB",
        "Geb. dat.",
        "Gebdat.",
        "Geboortedat.",
    ),
    "street": ("Straat", "Straatnaam", "Str.", "Street", "Street name"),
    "house_number": (
        "Huisnummer",
        "Huisnr",
        "Huisnr.",
        "Nr",
        "Hnr.",
        "Huisn.",
        "House number",
        "House no.",
    ),
    "house_letter": ("Huisletter", "Letter", "Huisl.", "House letter"),
    "addition": (
        "Toevoeging",
        "Huisnummertoevoeging",
        "Huisnr toevoeging",
        "Addition",
        "House number addition",
        "Huisnr. toev.",
        "Huisnummer toev.",
        "Huisnr. toevoeging",
        "Huisnummertoev.",
        "Hnr. toev.",
        "Toev.",
        "House number suffix",
        "Suffix",
    ),
    "postcode": ("Postcode", "Post code", "Zip", "Zip code", "Postal code", "Pc.", "Postc."),
    "town": ("Woonplaats", "Plaats", "Plaatsnaam", "Woonpl.", "Town", "City", "Place"),
    "amount": (
        "Bedrag achterstand",
        "Achterstand",
        "Achterstandsbedrag",
        "Openstaand bedrag",
        "Bedrag",
        "Amount in arrears",
        "Arrears",
        "Amount",
        "Bedrag achterst.",
        "Achterstallig bedrag",
        "Openstaand saldo",
        "Arrears amount",
        "Amount of arrears",
        "Amount due",
        "Amount outstanding",
        "Outstanding amount",
    ),
    "missed_terms": (
        "Aantal termijnen",
        "Termijnen",
        "Aantal maanden achterstand",
        "Missed terms",
        "Number of missed terms",
        "Aant. termijnen",
        "Aantal term.",
        "Aantal achterstallige termijnen",
        "Termijnen achterstand",
        "Aantal maanden",
        "Number of terms",
        "Terms",
        "Terms missed",
        "Missed payments",
        "Number of missed payments",
        "Months in arrears",
    ),
    "end_of_supply_date": (
        "Einddatum levering",
        "Eindeleveringsdatum",
        "Datum einde levering",
        "Einde levering",
        "End of supply date",
        "Einddatum",
        "Einddat. levering",
        "Einddatum leveringsovereenkomst",
        "Datum afsluiting",
        "Afsluitdatum",
        "End date",
        "End of supply",
        "Supply end date",
        "Disconnection date",
    ),
}

# Columns partners often send that Buurtkracht knows and deliberately does not use (it
# needs no telephone number, e-mail address or remark to act on a signal). They are named
# to the partner as "not used"; any other column the file has is unknown, and a file with
# an unknown column is stopped before anything is stored (see parsing.files).
UNUSED_SPELLINGS: tuple[str, ...] = (
    "Opmerking",
    "Opmerkingen",
    "Toelichting",
    "Notitie",
    "Telefoon",
    "Telefoonnummer",
    "Tel.",
    "Mobiel",
    "E-mail",
    "E-mailadres",
    "Geslacht",
    "Aanhef",
    "Land",
    "Contracttype",
    "Soort contract",
    "Klantsegment",
    "Segment",
    "Product",
    "Regelnummer",
    "Volgnummer",
    "Remark",
    "Remarks",
    "Comment",
    "Comments",
    "Note",
    "Phone",
    "Telephone",
    "Email",
    "Gender",
    "Country",
    "Contract type",
    "Customer segment",
    "Row number",
)

# The four kinds of partner that the Wet gemeentelijke schuldhulpverlening lets share
# signals of arrears with the municipality: canonical value -> spellings we accept.
PARTNER_KINDS: dict[str, tuple[str, ...]] = {
    "housing": (
        "woningcorporatie",
        "corporatie",
        "woningbouwcorporatie",
        "woningbouwvereniging",
        "verhuurder",
        "housing",
        "housing corporation",
        "housing association",
    ),
    "energy": (
        "energie",
        "energieleverancier",
        "energiebedrijf",
        "gas",
        "elektriciteit",
        "energy",
        "energy supplier",
    ),
    "water": (
        "water",
        "drinkwater",
        "drinkwaterbedrijf",
        "waterbedrijf",
        "water company",
        "water supplier",
    ),
    "health_insurer": (
        "zorgverzekeraar",
        "zorgverzekering",
        "health insurer",
        "health insurance",
    ),
}

_DROPPED = str.maketrans("", "", "._-*:\ufeff")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def header_key(text: str) -> str:
    """The form in which column names (and partner kinds) are compared."""
    if "(" in text or "[" in text:
        text = _BRACKETS.sub("", text)
    return "".join(text.split()).translate(_DROPPED).casefold()


def _lookup(spellings: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, int]]:
    found: dict[str, tuple[str, int]] = {}
    for canonical, names in spellings.items():
        for rank, name in enumerate(names):
            key = header_key(name)
            other = found.setdefault(key, (canonical, rank))[0]
            if other != canonical:
                raise ValueError(f"{name!r} is listed for both {other} and {canonical}")
    return found


HEADER_LOOKUP = _lookup(HEADER_SPELLINGS)
PARTNER_KIND_LOOKUP = {key: kind for key, (kind, _) in _lookup(PARTNER_KINDS).items()}


@dataclass
class HeaderMatch:
    """Which column holds which field, for one candidate header row."""

    positions: dict[str, int] = field(default_factory=dict)  # canonical -> column index
    columns: dict[str, str] = field(default_factory=dict)  # canonical -> header as written
    ignored: list[str] = field(default_factory=list)  # headers as written, not used
    unknown: list[str] = field(default_factory=list)  # of `ignored`: not recognised at all

    @property
    def missing(self) -> list[str]:
        return [name for name in REQUIRED_FIELDS if name not in self.positions]


def match_headers(cells: Sequence[str]) -> HeaderMatch:
    """Map a row of column names onto the canonical fields."""
    match = HeaderMatch()
    ranks: dict[str, int] = {}
    for index, text in enumerate(cells):
        if not text:
            continue
        canonical, rank = HEADER_LOOKUP.get(header_key(text), ("", 0))
        if not canonical:
            match.ignored.append(text)
            if header_key(text) not in UNUSED_KEYS:
                match.unknown.append(text)
            continue
        if canonical in ranks:
            if rank >= ranks[canonical]:
                match.ignored.append(text)
                continue
            match.ignored.append(match.columns[canonical])
        ranks[canonical] = rank
        match.positions[canonical] = index
        match.columns[canonical] = text
    return match


UNUSED_KEYS = frozenset(header_key(name) for name in UNUSED_SPELLINGS)


# --- values ---------------------------------------------------------------------------
# How partners write dates, amounts and house numbers. These return None for what they
# cannot read; parsing.rows turns that into a message for the person who corrects the row.

STRIP = " \t\r\n\xa0\u2007\u202f\u200b\ufeff"
_CENT = Decimal("0.01")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel counts 29-02-1900, which never was
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_DMY_RE = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})" + _TIME)
_YMD_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME)
# Digits are bounded so that a cell full of digits cannot overflow Decimal or int.
_AMOUNT_RE = re.compile(
    r"(?P<neg>-?)(?P<int>\d{1,3}(?P<group>[.,])\d{3}(?:(?P=group)\d{3}){0,3}|\d{1,12})"
    r"(?:(?P<dec>[.,])(?P<frac>\d{1,2}))?(?P<tail>-?)"
)
_HOUSE_NUMBER_RE = re.compile(r"(\d{1,6})\s*[-/]?\s*")
_LETTER_ADDITION_RE = re.compile(r"([A-Za-z])(?:\s*[-/\s]\s*([A-Za-z0-9]{1,4}))?")
_ADDITION_RE = re.compile(r"[A-Za-z0-9]{1,4}")


# What is not text: NUL and the other control characters (tab and line breaks aside), and
# the halves of a surrogate pair on their own. They become U+FFFD, the replacement
# character, which the row check refuses with a message (parsing/rows.py) and which the
# database can store, so that the row can be shown and corrected.
UNREADABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def readable(text: str) -> str:
    """`text` with every character that is not text replaced by U+FFFD."""
    return UNREADABLE.sub(REPLACEMENT, text) if UNREADABLE.search(text) else text


def cell_text(value: object) -> str:
    """A cell or form value as stripped text; dates and numbers in a form that reads back.
    Characters that are not text become U+FFFD (see `readable`)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return readable(value).strip(STRIP)
    if isinstance(value, dt.datetime):
        return format_date(value.date())
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, float | Decimal):
        try:
            if value == int(value):
                return str(int(value))
            # Only amounts have fractions; in cents they read back the same.
            return str(Decimal(repr(value) if isinstance(value, float) else value).quantize(_CENT))
        except (ValueError, OverflowError, ArithmeticError):  # NaN, infinity, 1e300
            return str(value)
    return readable(str(value)).strip(STRIP)


def format_date(value: dt.date) -> str:
    return f"{value.day:02d}-{value.month:02d}-{value.year:04d}"


def parse_date(value: str) -> dt.date | None:
    """31-01-2026, 31/1/2026, 31.01.2026, 2026-01-31 (a time after it is allowed),
    20260131, or an Excel day number such as 46053 (a date cell that lost its format)."""
    if match := _DMY_RE.fullmatch(value):
        day, month, year = int(match[1]), int(match[3]), int(match[4])
    elif match := _YMD_RE.fullmatch(value):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif value.isascii() and value.isdigit() and len(value) == 8:
        year, month, day = int(value[:4]), int(value[4:6]), int(value[6:])
    elif value.isascii() and value.isdigit() and len(value) == 5:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_amount(value: str) -> Decimal | None:
    """Euros, rounded to cents; negative allowed. € 1.234,56 / 1,234.56 / EUR 1234 / 12,-.

    The last `.` or `,` followed by one or two digits is the decimal mark; any other
    separates thousands, so 1.234 and 1,234 are both 1234 (no one owes a tenth of a cent).
    """
    text = "".join(value.split()).replace("€", "")
    lowered = text.lower()
    for word in ("euro", "eur"):
        if lowered.startswith(word):
            text = text[len(word) :]
            break
        if lowered.endswith(word):
            text = text[: -len(word)]
            break
    if text.endswith((",-", ".-")):  # Dutch for whole euros
        text = text[:-2]
    match = _AMOUNT_RE.fullmatch(text)
    if match is None or (match["neg"] and match["tail"]):
        return None
    if match["dec"] and match["dec"] == match["group"]:
        return None  # 1.234.56: one mark cannot separate both thousands and cents
    digits = match["int"].replace(".", "").replace(",", "")
    amount = Decimal(f"{digits}.{match['frac'] or '0'}").quantize(_CENT, ROUND_HALF_UP)
    return -amount if match["neg"] or match["tail"] else amount


def split_house_number(value: str) -> tuple[int, str, str] | None:
    """12A, 12-a, 12 a -> (12, "A", ""); 12-2, 12 bis, 12 hs -> (12, "", "2"/"BIS"/"HS");
    12A-2 -> (12, "A", "2"). None when it is not a number with such a suffix."""
    match = _HOUSE_NUMBER_RE.match(value)
    if match is None:
        return None
    number, rest = int(match[1]), value[match.end() :]
    if not rest:
        return number, "", ""
    if parts := _LETTER_ADDITION_RE.fullmatch(rest):
        return number, parts[1].upper(), (parts[2] or "").upper()
    if _ADDITION_RE.fullmatch(rest):
        return number, "", rest.upper()
    return None
