"""A client for the Haal Centraal *BRP bevragen* API, version 2 (issue 16, item 2: the
on-demand lookup in the municipal register of persons; docs/register.md).

The API has one operation: POST `{endpoint}/personen` with a JSON body naming the kind of
question (`type`), its terms, and the `fields` the answer may hold. Buurtkracht asks only
for the fields the composition of a household uses (`SEARCH_FIELDS`, `CONSULT_FIELDS`):
names, date of birth, date of death, the address and since when. The answer is
`{"type": ..., "personen": [...]}`; an error is `application/problem+json`.

Everything is configured in settings (`BRP_*`, from the environment, docs/operations.md):
the endpoint, the API key (`X-API-KEY`), a client certificate and key for mutual TLS, a
CA bundle, a timeout, the municipality code that limits searches to its own residents
(`gemeenteVanInschrijving`) and the protocol headers some gateways ask for
(`x-doelbinding`, `x-verwerking`, `x-origin-oin`, `x-gebruiker`).

This module is infrastructure on the ground floor: it knows no Person or Household. It
turns the answer into `BrpPerson` values; households decides what to do with them. Every
failure is a `BrpError` whose message is Dutch (through gettext) and says what the worker
can do: the register being unreachable never stops anyone from typing a person in.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# The fields a search may ask (the API's "PersoonBeperkt": a search gives less than a
# consultation by BSN). Only what the composition page shows or fills in.
SEARCH_FIELDS = (
    "burgerservicenummer",
    "naam.voornamen",
    "naam.voorletters",
    "naam.voorvoegsel",
    "naam.geslachtsnaam",
    "geboorte.datum",
    "verblijfplaats.verblijfadres",
)
# A consultation by BSN adds the date of moving in (to fill "lives here from"), a death,
# and the partner's surname when the person uses it (aanduiding naamgebruik).
CONSULT_FIELDS = (
    *SEARCH_FIELDS,
    "naam.aanduidingNaamgebruik",
    "overlijden.datum",
    "verblijfplaats.datumVan",
    "partners.naam.voorvoegsel",
    "partners.naam.geslachtsnaam",
)
MAX_BSNS = 20  # the API takes at most 20 numbers in one consultation


class BrpError(Exception):
    """The register could not answer. `str(error)` is a Dutch message for the worker."""


class BrpUnavailable(BrpError):
    """Down, too slow, or an answer that cannot be read: try again later."""


class BrpRefused(BrpError):
    """The register refused the question (access, or a question it does not take)."""


class BrpConfigError(BrpError):
    """The connection is configured wrongly (a certificate, a key file): for the admin."""

    detail = ""


@dataclass(frozen=True)
class BrpAddress:
    street: str = ""
    house_number: int | None = None
    house_letter: str = ""
    addition: str = ""
    postcode: str = ""
    town: str = ""
    since: dt.date | None = None

    @property
    def door(self) -> tuple[str, int | None, str, str]:
        """What identifies the door: postcode, number, letter, addition (case folded)."""
        return (
            self.postcode.replace(" ", "").upper(),
            self.house_number,
            self.house_letter.upper(),
            self.addition.upper(),
        )

    @property
    def line(self) -> str:
        number = f"{self.house_number or ''}{self.house_letter}"
        if self.addition:
            number = f"{number}-{self.addition}"
        postcode = self.postcode.replace(" ", "").upper()
        if len(postcode) == 6:
            postcode = f"{postcode[:4]} {postcode[4:]}"
        first = " ".join(part for part in (self.street, number) if part)
        second = " ".join(part for part in (postcode, self.town) if part)
        return ", ".join(part for part in (first, second) if part)


@dataclass(frozen=True)
class BrpPerson:
    """A person as the register knows them: the name in use, the own (birth) surname
    where it differs, dates, and the address."""

    bsn: str
    surname: str
    initials: str = ""
    given_names: str = ""
    surname_prefix: str = ""
    birth_surname: str = ""
    birth_surname_prefix: str = ""
    date_of_birth: dt.date | None = None
    date_of_death: dt.date | None = None
    address: BrpAddress | None = None

    @property
    def full_name(self) -> str:
        first = self.given_names.split(" ")[0] if self.given_names else self.initials
        return " ".join(part for part in (first, self.surname_prefix, self.surname) if part)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON (dates in ISO), to carry in a signed token."""
        data: dict[str, Any] = {
            k: v for k, v in self.__dict__.items() if k != "address" and v not in ("", None)
        }
        for key in ("date_of_birth", "date_of_death"):
            if key in data:
                data[key] = data[key].isoformat()
        if self.address is not None:
            address = {k: v for k, v in self.address.__dict__.items() if v not in ("", None)}
            if "since" in address:
                address["since"] = address["since"].isoformat()
            data["address"] = address
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BrpPerson:
        values = dict(data)
        for key in ("date_of_birth", "date_of_death"):
            if values.get(key):
                values[key] = dt.date.fromisoformat(values[key])
        if values.get("address"):
            address = dict(values["address"])
            if address.get("since"):
                address["since"] = dt.date.fromisoformat(address["since"])
            values["address"] = BrpAddress(**address)
        return cls(**values)


@dataclass(frozen=True)
class BrpConfig:
    endpoint: str
    api_key: str = ""
    cert_file: str = ""
    key_file: str = ""
    ca_file: str = ""
    timeout: float = 10.0
    municipality: str = ""
    purpose: str = ""  # x-doelbinding
    processing: str = ""  # x-verwerking
    origin_oin: str = ""  # x-origin-oin

    @classmethod
    def from_settings(cls) -> BrpConfig:
        return cls(
            endpoint=settings.BRP_API_URL,
            api_key=settings.BRP_API_KEY,
            cert_file=settings.BRP_CLIENT_CERT,
            key_file=settings.BRP_CLIENT_KEY,
            ca_file=settings.BRP_CA_BUNDLE,
            timeout=settings.BRP_TIMEOUT_SECONDS,
            municipality=settings.BRP_GEMEENTE_VAN_INSCHRIJVING,
            purpose=settings.BRP_DOELBINDING,
            processing=settings.BRP_VERWERKING,
            origin_oin=settings.BRP_ORIGIN_OIN,
        )


def terms_key(value: str) -> str:
    """A keyed hash of a search term (case and spaces folded): the audit log keeps this,
    not the term, so that its readers see no BSN or name, while a privacy officer asked
    "was I looked up?" can compute the key (`manage.py brp_lookup_key`) and search for it.
    Keyed with SECRET_KEY: a new SECRET_KEY gives new keys."""
    folded = "".join(value.split()).casefold()
    return salted_hmac("buurtkracht.brp-lookup-terms", folded).hexdigest()[:20]


def minimised_terms(
    *,
    bsn: str = "",
    surname: str = "",
    date_of_birth: dt.date | None = None,
    postcode: str = "",
) -> dict[str, Any]:
    """What an audit entry keeps of the terms of a search for a person (the BRP lookup,
    the search box): a BSN as its last three digits and `terms_key`, a surname as its
    first letter and `terms_key`, a date of birth as its year, a postcode as its four
    digits. Only the terms given appear."""
    terms: dict[str, Any] = {}
    if bsn:
        terms |= {"bsn_end": bsn[-3:], "bsn_key": terms_key(bsn)}
    if surname:
        terms |= {
            "surname_initial": surname.strip()[:1].upper(),
            "surname_key": terms_key(surname),
        }
    if date_of_birth:
        terms["birth_year"] = date_of_birth.year
    if postcode:
        terms["postcode_area"] = postcode.replace(" ", "")[:4]
    return terms


def brp_configured() -> bool:
    """Whether an endpoint is configured (the client is switched on)."""
    return bool(settings.BRP_API_URL)


def _config_error(detail: str) -> BrpConfigError:
    logger.error("BRP connection misconfigured: %s", detail)
    error = BrpConfigError(
        _(
            "The connection to the BRP is not set up correctly (certificate or key). "
            "Tell the administrator. Meanwhile you can type the person in yourself."
        )
    )
    error.detail = detail  # for the administrator (check_connection_files), not the page
    return error


def _unavailable(detail: str) -> BrpUnavailable:
    logger.warning("BRP unavailable: %s", detail)
    return BrpUnavailable(
        _(
            "The BRP cannot be reached right now. Try again in a few minutes, or type the "
            "person in yourself."
        )
    )


def _date(value: Any) -> dt.date | None:
    """A full date of the API's polymorphic date (`{"type": "Datum", "datum": ...}`);
    a partly unknown date (JaarDatum, DatumOnbekend, …) gives None."""
    if not isinstance(value, Mapping) or value.get("type", "Datum") != "Datum":
        return None
    try:
        return dt.date.fromisoformat(str(value.get("datum", "")))
    except ValueError:
        return None


def _text(mapping: Any, key: str) -> str:
    value = mapping.get(key) if isinstance(mapping, Mapping) else None
    return str(value).strip() if value not in (None, "") else ""


def _address(place: Any) -> BrpAddress | None:
    if not isinstance(place, Mapping) or not isinstance(place.get("verblijfadres"), Mapping):
        return None
    door = place["verblijfadres"]
    number = door.get("huisnummer")
    try:
        house_number = int(number) if number not in (None, "") else None
    except (TypeError, ValueError):
        house_number = None
    return BrpAddress(
        street=_text(door, "officieleStraatnaam") or _text(door, "korteStraatnaam"),
        house_number=house_number,
        house_letter=_text(door, "huisletter"),
        addition=_text(door, "huisnummertoevoeging"),
        postcode=_text(door, "postcode").replace(" ", "").upper(),
        town=_text(door, "woonplaats"),
        since=_date(place.get("datumVan")),
    )


def _name_in_use(name: Mapping[str, Any], partners: Any) -> tuple[str, str, str, str]:
    """(prefix, surname, birth prefix, birth surname) by the aanduiding naamgebruik:
    E own name; P the partner's; V partner's then own; N own then partner's."""
    own_prefix, own = _text(name, "voorvoegsel"), _text(name, "geslachtsnaam")
    code = _text(name.get("aanduidingNaamgebruik"), "code").upper()
    partner: Mapping[str, Any] = {}
    if isinstance(partners, list) and partners and isinstance(partners[0], Mapping):
        partner = partners[0].get("naam") or {}
    theirs_prefix, theirs = _text(partner, "voorvoegsel"), _text(partner, "geslachtsnaam")
    if code not in ("P", "V", "N") or not theirs:
        return own_prefix, own, "", ""
    own_full = " ".join(p for p in (own_prefix, own) if p)
    theirs_full = " ".join(p for p in (theirs_prefix, theirs) if p)
    if code == "P":
        return theirs_prefix, theirs, own_prefix, own
    if code == "V":
        return theirs_prefix, f"{theirs}-{own_full}", own_prefix, own
    return own_prefix, f"{own}-{theirs_full}", own_prefix, own


def person_from_api(data: Mapping[str, Any]) -> BrpPerson:
    """One element of `personen` as a BrpPerson."""
    raw_name = data.get("naam")
    name: Mapping[str, Any] = raw_name if isinstance(raw_name, Mapping) else {}
    prefix, surname, birth_prefix, birth_surname = _name_in_use(name, data.get("partners"))
    return BrpPerson(
        bsn=_text(data, "burgerservicenummer"),
        surname=surname,
        surname_prefix=prefix.lower(),
        birth_surname=birth_surname,
        birth_surname_prefix=birth_prefix.lower(),
        initials=_text(name, "voorletters"),
        given_names=_text(name, "voornamen"),
        date_of_birth=_date((data.get("geboorte") or {}).get("datum")),
        date_of_death=_date((data.get("overlijden") or {}).get("datum")),
        address=_address(data.get("verblijfplaats")),
    )


def check_connection_files() -> list[str]:
    """What is wrong with the configured certificate, key and CA files, for
    `manage.py check` at start-up (core.apps): an administrator learns of a bad file when
    deploying, not from a worker who could not look someone up."""
    if not brp_configured() or not settings.BRP_API_URL.startswith("https:"):
        return []
    try:
        BrpClient().ssl_context()
    except BrpConfigError as error:
        cause = error.__cause__ or error
        return [str(getattr(error, "detail", "") or cause)]
    return []


class BrpClient:
    """Asks the BRP. One instance per configuration; safe to make per request."""

    def __init__(self, config: BrpConfig | None = None) -> None:
        self.config = config or BrpConfig.from_settings()

    # --- the three questions ----------------------------------------------------------

    def by_bsn(self, bsns: Iterable[str], *, user_ref: str = "") -> list[BrpPerson]:
        """RaadpleegMetBurgerservicenummer: the persons with these numbers (at most 20)."""
        numbers = list(dict.fromkeys(bsns))[:MAX_BSNS]
        if not numbers:
            return []
        body: dict[str, Any] = {
            "type": "RaadpleegMetBurgerservicenummer",
            "burgerservicenummer": numbers,
            "fields": list(CONSULT_FIELDS),
        }
        return self._persons(body, user_ref)

    def by_name(
        self,
        *,
        surname: str,
        date_of_birth: dt.date,
        prefix: str = "",
        postcode: str = "",
        user_ref: str = "",
    ) -> list[BrpPerson]:
        """ZoekMetGeslachtsnaamEnGeboortedatum, within the own municipality when
        configured; a postcode narrows the answer to those living there."""
        body: dict[str, Any] = {
            "type": "ZoekMetGeslachtsnaamEnGeboortedatum",
            "geslachtsnaam": surname.strip(),
            "geboortedatum": date_of_birth.isoformat(),
            "fields": list(SEARCH_FIELDS),
        }
        if prefix.strip():
            body["voorvoegsel"] = prefix.strip().lower()
        persons = self._persons(body, user_ref)
        wanted = postcode.replace(" ", "").upper()
        if wanted:
            persons = [p for p in persons if p.address and p.address.postcode == wanted]
        return persons

    def by_address(
        self,
        *,
        postcode: str,
        house_number: int,
        house_letter: str = "",
        addition: str = "",
        user_ref: str = "",
    ) -> list[BrpPerson]:
        """ZoekMetPostcodeEnHuisnummer: who the register has at this door."""
        body: dict[str, Any] = {
            "type": "ZoekMetPostcodeEnHuisnummer",
            "postcode": postcode.replace(" ", "").upper(),
            "huisnummer": house_number,
            "fields": list(SEARCH_FIELDS),
        }
        if house_letter:
            body["huisletter"] = house_letter
        if addition:
            body["huisnummertoevoeging"] = addition
        return self._persons(body, user_ref)

    # --- the round trip ---------------------------------------------------------------

    def _persons(self, body: dict[str, Any], user_ref: str) -> list[BrpPerson]:
        if self.config.municipality and body["type"] != "RaadpleegMetBurgerservicenummer":
            body["gemeenteVanInschrijving"] = self.config.municipality
        answer = self._post(body, user_ref)
        persons = answer.get("personen")
        if answer.get("type") != body["type"] or not isinstance(persons, list):
            raise _unavailable(f"answer of another shape (type {answer.get('type')!r})")
        return [person_from_api(p) for p in persons if isinstance(p, Mapping)]

    def ssl_context(self) -> ssl.SSLContext:
        """The TLS context: the CA bundle if given, and the client certificate (mTLS)."""
        config = self.config
        for label, path in (
            ("CA bundle", config.ca_file),
            ("client certificate", config.cert_file),
            ("client key", config.key_file),
        ):
            if path and not Path(path).is_file():
                raise _config_error(f"{label} {path} is not a readable file")
        if config.key_file and not config.cert_file:
            raise _config_error("a client key without a client certificate")
        try:
            context = ssl.create_default_context(cafile=config.ca_file or None)
            if config.cert_file:
                context.load_cert_chain(config.cert_file, config.key_file or None)
        except (ssl.SSLError, OSError, ValueError) as error:
            raise _config_error(f"cannot load the certificate or key: {error}") from error
        return context

    def _headers(self, user_ref: str) -> dict[str, str]:
        config = self.config
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
        }
        optional = {
            "X-API-KEY": config.api_key,
            "x-doelbinding": config.purpose,
            "x-verwerking": config.processing,
            "x-origin-oin": config.origin_oin,
            "x-gebruiker": user_ref,
        }
        headers.update({k: v for k, v in optional.items() if v})
        return headers

    def _post(self, body: dict[str, Any], user_ref: str) -> dict[str, Any]:
        url = self.config.endpoint.rstrip("/") + "/personen"
        context = self.ssl_context() if url.startswith("https:") else None
        request = urllib.request.Request(  # noqa: S310 (the URL is the configured endpoint)
            url,
            data=json.dumps(body).encode(),
            headers=self._headers(user_ref),
            method="POST",
        )
        try:
            with urllib.request.urlopen(  # noqa: S310
                request, timeout=self.config.timeout, context=context
            ) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            raise self._http_error(error) from error
        except ssl.SSLError as error:
            raise _config_error(f"TLS handshake failed: {error}") from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, ssl.SSLCertVerificationError):
                raise _config_error(f"TLS: {error.reason}") from error
            raise _unavailable(f"{type(error.reason).__name__}: {error.reason}") from error
        except (TimeoutError, OSError) as error:
            raise _unavailable(f"{type(error).__name__}: {error}") from error
        try:
            answer = json.loads(raw)
        except ValueError as error:
            raise _unavailable("an answer that is not JSON") from error
        if not isinstance(answer, dict):
            raise _unavailable("an answer that is not a JSON object")
        return answer

    def _http_error(self, error: urllib.error.HTTPError) -> BrpError:
        status = error.code
        try:
            problem = json.loads(error.read() or b"{}")
        except ValueError:
            problem = {}
        title = problem.get("title", "") if isinstance(problem, dict) else ""
        if status >= 500 or status == 429:
            return _unavailable(f"HTTP {status} {title}")
        logger.error("BRP refused the question: HTTP %s %s", status, title)
        if status in (401, 403):
            return BrpRefused(
                _(
                    "The BRP refuses Buurtkracht's question (no access). Tell the "
                    "administrator. Meanwhile you can type the person in yourself."
                )
            )
        return BrpRefused(
            _(
                "The BRP could not answer this question (%(status)s). Check the details you "
                "searched with, or type the person in yourself."
            )
            % {"status": status}
        )
