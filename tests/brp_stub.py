"""A local stand-in for the Haal Centraal BRP bevragen API (v2), answering in its
published shape: POST /haalcentraal/api/brp/personen with {"type": ..., "fields": [...]}
gives {"type": ..., "personen": [...]} with only the fields asked for; an error is
application/problem+json. A real HTTP (or HTTPS, with client certificates) server on a
free port in a thread, so the client's whole round trip is tested.

`mode` makes it misbehave: "down" (closed), "slow" (answers after the client's timeout),
"error" (500), "garbage" (not JSON), "wrong_type" (an answer to another question).
"""

from __future__ import annotations

import datetime as dt
import json
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PATH = "/haalcentraal/api/brp"


def datum(day: dt.date) -> dict[str, str]:
    return {"type": "Datum", "datum": day.isoformat(), "langFormaat": day.strftime("%-d %B %Y")}


def api_person(
    bsn: str,
    *,
    voornamen: str,
    geslachtsnaam: str,
    geboortedatum: dt.date,
    voorvoegsel: str = "",
    postcode: str = "9991AB",
    huisnummer: int = 1,
    straat: str = "Lindenstraat",
    sinds: dt.date | None = None,
    naamgebruik: str = "E",
    partner: tuple[str, str] | None = None,
    overleden: dt.date | None = None,
    gemeente: str = "9999",
) -> dict[str, Any]:
    """One person as the API has them (all fields; the stub filters by `fields`)."""
    naam: dict[str, Any] = {
        "voornamen": voornamen,
        "voorletters": "".join(f"{part[0]}." for part in voornamen.split()),
        "geslachtsnaam": geslachtsnaam,
        "aanduidingNaamgebruik": {"code": naamgebruik, "omschrijving": "naamgebruik"},
    }
    if voorvoegsel:
        naam["voorvoegsel"] = voorvoegsel
    person: dict[str, Any] = {
        "burgerservicenummer": bsn,
        "naam": naam,
        "geboorte": {"datum": datum(geboortedatum)},
        "gemeenteVanInschrijving": {"code": gemeente, "omschrijving": "Lindenhoven"},
        "geslacht": {"code": "O", "omschrijving": "onbekend"},  # never asked for
        "verblijfplaats": {
            "type": "Adres",
            "verblijfadres": {
                "officieleStraatnaam": straat,
                "korteStraatnaam": straat,
                "huisnummer": huisnummer,
                "postcode": postcode,
                "woonplaats": "Lindenhoven",
            },
            "datumVan": datum(sinds or dt.date(2020, 1, 1)),
        },
    }
    if partner:
        prefix, surname = partner
        partner_name: dict[str, Any] = {"geslachtsnaam": surname, "voornamen": "Partner"}
        if prefix:
            partner_name["voorvoegsel"] = prefix
        person["partners"] = [{"naam": partner_name, "burgerservicenummer": "999999999"}]
    if overleden:
        person["overlijden"] = {"datum": datum(overleden)}
    return person


def _pick(data: Any, paths: list[list[str]]) -> Any:
    """Only the asked-for fields (a path asks for everything under it)."""
    if any(not path for path in paths) or not isinstance(data, dict):
        return data
    if isinstance(data, list):  # pragma: no cover
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        below = [path[1:] for path in paths if path[0] == key]
        if not below:
            continue
        if isinstance(value, list):
            out[key] = [_pick(item, below) for item in value]
        else:
            out[key] = _pick(value, below)
    if "type" in data and out:
        out["type"] = data["type"]
    return out


def _get(person: dict[str, Any], *path: str) -> Any:
    value: Any = person
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


class BrpStub:
    def __init__(
        self, persons: list[dict[str, Any]], *, api_key: str = "", tls: ssl.SSLContext | None = None
    ) -> None:
        self.persons = persons
        self.api_key = api_key
        self.mode = "ok"
        self.requests: list[dict[str, Any]] = []
        self.tls = tls
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.server.server_address[1]}{PATH}"

    def answer(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        kind = body.get("type")
        persons = self.persons
        if kind == "RaadpleegMetBurgerservicenummer":
            wanted = set(body.get("burgerservicenummer") or [])
            return [p for p in persons if p["burgerservicenummer"] in wanted]
        if body.get("gemeenteVanInschrijving"):
            persons = [
                p
                for p in persons
                if _get(p, "gemeenteVanInschrijving", "code") == body["gemeenteVanInschrijving"]
            ]
        if kind == "ZoekMetGeslachtsnaamEnGeboortedatum":
            return [
                p
                for p in persons
                if str(_get(p, "naam", "geslachtsnaam")).casefold()
                == str(body.get("geslachtsnaam")).casefold()
                and _get(p, "geboorte", "datum", "datum") == body.get("geboortedatum")
                and (
                    not body.get("voorvoegsel")
                    or _get(p, "naam", "voorvoegsel") == body["voorvoegsel"]
                )
            ]
        if kind == "ZoekMetPostcodeEnHuisnummer":
            return [
                p
                for p in persons
                if _get(p, "verblijfplaats", "verblijfadres", "postcode") == body.get("postcode")
                and _get(p, "verblijfplaats", "verblijfadres", "huisnummer")
                == body.get("huisnummer")
            ]
        raise ValueError(kind)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(self, status: int, payload: Any, content_type: str) -> None:
                raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _problem(self, status: int, title: str) -> None:
                problem = {"type": "about:blank", "title": title, "status": status}
                self._send(status, problem, "application/problem+json")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                stub.requests.append({"headers": dict(self.headers.items()), "body": body})
                if stub.mode == "slow":
                    time.sleep(1.5)
                if self.path != f"{PATH}/personen":
                    return self._problem(404, "Opgevraagde resource bestaat niet.")
                if stub.api_key and self.headers.get("X-API-KEY") != stub.api_key:
                    return self._problem(401, "Niet correct geauthenticeerd.")
                if stub.mode == "error":
                    return self._problem(500, "Interne serverfout.")
                if stub.mode == "garbage":
                    return self._send(200, b"<html>gateway</html>", "text/html")
                if not isinstance(body, dict) or not body.get("fields"):
                    return self._problem(400, "Minimale combinatie van parameters ontbreekt.")
                try:
                    found = stub.answer(body)
                except ValueError:
                    return self._problem(400, "Ongeldige type.")
                paths = [str(field).split(".") for field in body["fields"]]
                kind = "ZoekMetPostcodeEnHuisnummer" if stub.mode == "wrong_type" else body["type"]
                answer = {"type": kind, "personen": [_pick(p, paths) for p in found]}
                return self._send(200, answer, "application/json")

        return Handler

    def start(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        if self.tls:
            self.server.socket = self.tls.wrap_socket(self.server.socket, server_side=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def go_down(self) -> None:
        """Stop answering: the port is closed (connection refused)."""
        self.stop()


@contextmanager
def running(stub: BrpStub) -> Iterator[BrpStub]:
    stub.start()
    try:
        yield stub
    finally:
        stub.stop()
