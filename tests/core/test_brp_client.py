"""The Haal Centraal BRP bevragen client (core/brp.py) against a local stub that answers
in the published shape: the three questions, only the fields the product uses, the
headers, the register down, slow or refusing, and mutual TLS with good and bad
certificate configuration."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.utils import translation

from buurtkracht.core.brp import (
    CONSULT_FIELDS,
    SEARCH_FIELDS,
    BrpClient,
    BrpConfig,
    BrpConfigError,
    BrpRefused,
    BrpUnavailable,
)
from tests.brp_stub import BrpStub, api_person, running

KEY = "stub-api-key"
ELIF = api_person(
    "999993653",
    voornamen="Elif Naz",
    geslachtsnaam="Kaya",
    geboortedatum=dt.date(1988, 4, 2),
    postcode="9991AB",
    huisnummer=12,
    sinds=dt.date(2025, 11, 1),
)
SANNE = api_person(
    "999990019",
    voornamen="Sanne",
    voorvoegsel="van der",
    geslachtsnaam="Berg",
    geboortedatum=dt.date(1979, 1, 31),
    naamgebruik="V",
    partner=("de", "Vries"),
    postcode="9991AC",
    gemeente="0001",
)


@pytest.fixture(autouse=True)
def _dutch() -> Iterator[None]:
    with translation.override("nl"):
        yield


@pytest.fixture
def stub() -> Iterator[BrpStub]:
    with running(BrpStub([ELIF, SANNE], api_key=KEY)) as server:
        yield server


def _client(stub: BrpStub, **extra: object) -> BrpClient:
    return BrpClient(BrpConfig(endpoint=stub.url, api_key=KEY, timeout=0.5, **extra))  # type: ignore[arg-type]


def test_by_bsn_asks_only_the_product_fields_and_reads_the_answer(stub: BrpStub) -> None:
    found = _client(stub, purpose="BRPACT-Sociaal", processing="Buurtkracht@Samenstelling").by_bsn(
        ["999993653"], user_ref="wijkwerker"
    )
    assert len(found) == 1
    elif_ = found[0]
    assert (elif_.bsn, elif_.given_names, elif_.initials, elif_.surname) == (
        "999993653",
        "Elif Naz",
        "E.N.",
        "Kaya",
    )
    assert elif_.date_of_birth == dt.date(1988, 4, 2)
    assert elif_.address is not None
    assert elif_.address.postcode == "9991AB" and elif_.address.house_number == 12
    assert elif_.address.since == dt.date(2025, 11, 1)
    request = stub.requests[-1]
    assert request["body"]["type"] == "RaadpleegMetBurgerservicenummer"
    assert request["body"]["burgerservicenummer"] == ["999993653"]
    assert request["body"]["fields"] == list(CONSULT_FIELDS)
    assert not any(f.startswith(("geslacht", "nationaliteit", "gezag")) for f in CONSULT_FIELDS)
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["x-api-key"] == KEY
    assert headers["x-doelbinding"] == "BRPACT-Sociaal"
    assert headers["x-verwerking"] == "Buurtkracht@Samenstelling"
    assert headers["x-gebruiker"] == "wijkwerker"


def test_by_name_finds_the_person_and_a_postcode_narrows_it(stub: BrpStub) -> None:
    client = _client(stub)
    found = client.by_name(surname="kaya", date_of_birth=dt.date(1988, 4, 2))
    assert [p.bsn for p in found] == ["999993653"]
    assert stub.requests[-1]["body"]["type"] == "ZoekMetGeslachtsnaamEnGeboortedatum"
    assert stub.requests[-1]["body"]["fields"] == list(SEARCH_FIELDS)
    assert (
        client.by_name(surname="Kaya", date_of_birth=dt.date(1988, 4, 2), postcode="9991 AB")
        == found
    )
    born = dt.date(1988, 4, 2)
    assert client.by_name(surname="Kaya", date_of_birth=born, postcode="1234AB") == []


def test_a_search_stays_within_the_own_municipality(stub: BrpStub) -> None:
    client = _client(stub, municipality="9999")
    assert client.by_name(surname="Berg", date_of_birth=dt.date(1979, 1, 31)) == []
    assert stub.requests[-1]["body"]["gemeenteVanInschrijving"] == "9999"


def test_the_name_in_use_follows_the_aanduiding_naamgebruik(stub: BrpStub) -> None:
    sanne = _client(stub).by_bsn(["999990019"])[0]
    # V: the partner's name, then the own name
    assert (sanne.surname_prefix, sanne.surname) == ("de", "Vries-van der Berg")
    assert (sanne.birth_surname_prefix, sanne.birth_surname) == ("van der", "Berg")


def test_by_address_asks_postcode_and_house_number(stub: BrpStub) -> None:
    found = _client(stub).by_address(postcode="9991 ab", house_number=12)
    assert [p.bsn for p in found] == ["999993653"]
    assert stub.requests[-1]["body"]["postcode"] == "9991AB"


def test_not_found_is_an_empty_answer(stub: BrpStub) -> None:
    assert _client(stub).by_bsn(["123456782"]) == []
    assert _client(stub).by_name(surname="Jansen", date_of_birth=dt.date(1950, 1, 1)) == []


def test_the_register_down_is_a_clear_dutch_message(stub: BrpStub) -> None:
    client = _client(stub)
    stub.go_down()
    with pytest.raises(BrpUnavailable) as error:
        client.by_bsn(["999993653"])
    assert "niet bereikbaar" in str(error.value)
    assert "voer de persoon zelf in" in str(error.value)


@pytest.mark.parametrize("mode", ["slow", "error", "garbage", "wrong_type"])
def test_a_slow_failing_or_strange_register_is_unavailable(stub: BrpStub, mode: str) -> None:
    stub.mode = mode
    with pytest.raises(BrpUnavailable):
        BrpClient(BrpConfig(endpoint=stub.url, api_key=KEY, timeout=0.3)).by_bsn(["999993653"])


def test_a_wrong_key_is_refused_and_says_to_tell_the_administrator(stub: BrpStub) -> None:
    with pytest.raises(BrpRefused) as error:
        BrpClient(BrpConfig(endpoint=stub.url, api_key="wrong")).by_bsn(["999993653"])
    assert "beheerder" in str(error.value)


# --- mutual TLS -------------------------------------------------------------------------


def _cert(
    folder: Path,
    name: str,
    *,
    issuer: tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None = None,
    server: bool = False,
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    # A wide, fixed window: the tests may run with a travelled clock (tests/clock.py) while
    # OpenSSL checks the certificate against the machine's real one.
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer[0].subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
        .not_valid_after(dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
        .add_extension(x509.BasicConstraints(ca=issuer is None, path_length=None), critical=True)
    )
    if server:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
    cert = builder.sign(issuer[1] if issuer else key, hashes.SHA256())
    (folder / f"{name}.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / f"{name}.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert, key


@pytest.fixture
def tls_stub(tmp_path: Path) -> Iterator[tuple[BrpStub, Path]]:
    ca = _cert(tmp_path, "ca")
    _cert(tmp_path, "server", issuer=ca, server=True)
    _cert(tmp_path, "client", issuer=ca)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "server.pem", tmp_path / "server.key")
    context.load_verify_locations(tmp_path / "ca.pem")
    context.verify_mode = ssl.CERT_REQUIRED  # the gateway wants the client's certificate
    with running(BrpStub([ELIF], tls=context)) as server:
        yield server, tmp_path


def test_mutual_tls_with_the_client_certificate(tls_stub: tuple[BrpStub, Path]) -> None:
    stub, folder = tls_stub
    config = BrpConfig(
        endpoint=stub.url,
        ca_file=str(folder / "ca.pem"),
        cert_file=str(folder / "client.pem"),
        key_file=str(folder / "client.key"),
        timeout=2,
    )
    assert [p.bsn for p in BrpClient(config).by_bsn(["999993653"])] == ["999993653"]


def test_without_the_client_certificate_the_gateway_refuses(
    tls_stub: tuple[BrpStub, Path],
) -> None:
    stub, folder = tls_stub
    config = BrpConfig(endpoint=stub.url, ca_file=str(folder / "ca.pem"), timeout=2)
    with pytest.raises((BrpConfigError, BrpUnavailable)):
        BrpClient(config).by_bsn(["999993653"])


@pytest.mark.parametrize("problem", ["missing_file", "not_a_certificate", "key_only", "wrong_key"])
def test_a_bad_certificate_configuration_is_named_for_the_administrator(
    tls_stub: tuple[BrpStub, Path], problem: str
) -> None:
    stub, folder = tls_stub
    (folder / "garbage.pem").write_text("not a certificate")
    files = {
        "missing_file": {"cert_file": str(folder / "nowhere.pem")},
        "not_a_certificate": {"cert_file": str(folder / "garbage.pem")},
        "key_only": {"key_file": str(folder / "client.key")},
        "wrong_key": {"cert_file": str(folder / "client.pem"), "key_file": str(folder / "ca.key")},
    }[problem]
    config = BrpConfig(endpoint=stub.url, ca_file=str(folder / "ca.pem"), timeout=2, **files)
    with pytest.raises(BrpConfigError) as error:
        BrpClient(config).by_bsn(["999993653"])
    assert "beheerder" in str(error.value) and "zelf invoeren" in str(error.value)
    assert stub.requests == []  # nothing was sent


def test_the_lookup_key_command_gives_the_key_the_log_keeps(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from django.core.management import call_command

    from buurtkracht.core.search_terms import terms_key

    call_command("brp_lookup_key", bsn="9999 93 653")
    assert terms_key("999993653") in capsys.readouterr().out
    call_command("brp_lookup_key", surname="Kaya")
    assert terms_key("kaya ") in capsys.readouterr().out


def test_manage_py_check_names_a_bad_certificate_file(settings: Any, tmp_path: Path) -> None:
    from buurtkracht.core.apps import brp_connection_check

    settings.BRP_API_URL = "https://brp.example.nl/haalcentraal/api/brp"
    assert brp_connection_check() == []
    settings.BRP_CLIENT_CERT = str(tmp_path / "nowhere.pem")
    [error] = brp_connection_check()
    assert error.id == "buurtkracht.E001" and "nowhere.pem" in error.msg
