"""Malware scanning through clamd's INSTREAM protocol, against a tiny fake clamd on a local
socket: infected is refused and nothing is stored; a scanner configured but unreachable
refuses too (fail closed); a clean file is stored as scanned."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from buurtkracht.audit.models import Action, AuditEvent
from buurtkracht.core import scanning
from buurtkracht.documents.models import Document, DocumentContent
from tests.conftest import Personas
from tests.documents.helpers import EICAR, PDF_BYTES, fake_clamd_tcp, fake_clamd_unix, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def socket_path() -> Any:
    # Unix socket paths are short (108 bytes): a folder of its own directly under /tmp.
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        yield str(Path(folder) / "clamd.sock")


def _post(personas: Personas, name: str, data: bytes) -> Any:
    personas.make_worker_lead()
    client = Client()
    client.force_login(personas.worker)
    return client.post(
        reverse("documents:new", args=[personas.household.pk]),
        {"file": upload(name, data), "title": "Brief", "kind": "letter", "dated": ""},
    )


def test_the_client_speaks_instream_over_a_unix_socket(socket_path: str) -> None:
    big = PDF_BYTES + b"x" * 200_000  # several chunks
    with fake_clamd_unix(socket_path) as clamd, override_settings(CLAMAV_SOCKET=socket_path):
        assert scanning.scan(big) == scanning.Verdict(infected=False)
        assert scanning.scan(b"%PDF-1.4 " + EICAR) == scanning.Verdict(
            infected=True, signature="Eicar-Test-Signature"
        )
    assert clamd.scanned[0] == big


def test_the_client_speaks_instream_over_tcp() -> None:
    with fake_clamd_tcp() as (_clamd, address), override_settings(CLAMAV_SOCKET=address):
        assert scanning.scan(b"%PDF-1.4 " + EICAR).infected


def test_an_infected_upload_is_refused_and_nothing_is_stored(
    personas: Personas, socket_path: str
) -> None:
    with fake_clamd_unix(socket_path), override_settings(CLAMAV_SOCKET=socket_path):
        response = _post(personas, "brief.pdf", b"%PDF-1.4\n" + EICAR)
    assert response.status_code == 400
    body = response.content.decode()
    assert "De virusscanner heeft iets schadelijks gevonden in dit bestand" in body
    assert "Eicar-Test-Signature" in body
    assert not Document.objects.exists() and not DocumentContent.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.CREATE).exists()


def test_a_clean_upload_is_stored_as_scanned(personas: Personas, socket_path: str) -> None:
    with fake_clamd_unix(socket_path) as clamd, override_settings(CLAMAV_SOCKET=socket_path):
        page = Client()
        page.force_login(personas.worker)
        personas.make_worker_lead()
        form = page.get(reverse("documents:new", args=[personas.household.pk]))
        assert "niet gescand" not in form.content.decode()
        response = _post(personas, "brief.pdf", PDF_BYTES)
    assert response.status_code == 302
    assert Document.objects.get().scan == Document.Scan.CLEAN
    assert clamd.scanned == [PDF_BYTES]


@pytest.mark.parametrize("address", ["/nonexistent-buurtkracht/clamd.sock", "127.0.0.1:1"])
def test_a_scanner_configured_but_unreachable_refuses_the_upload(
    personas: Personas, address: str
) -> None:
    with override_settings(CLAMAV_SOCKET=address, CLAMAV_TIMEOUT_SECONDS=2):
        response = _post(personas, "brief.pdf", PDF_BYTES)
    assert response.status_code == 400
    assert "De virusscanner is niet bereikbaar" in response.content.decode()
    assert not Document.objects.exists() and not DocumentContent.objects.exists()


def test_a_scanner_that_answers_an_error_counts_as_unreachable(socket_path: str) -> None:
    import socket
    import threading

    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(socket_path)
    server.listen(1)

    def answer() -> None:
        conn, _ = server.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"INSTREAM size limit exceeded. ERROR\0")

    threading.Thread(target=answer, daemon=True).start()
    try:
        with (
            override_settings(CLAMAV_SOCKET=socket_path),
            pytest.raises(scanning.ScannerUnavailable),
        ):
            scanning.scan(b"x")
    finally:
        server.close()


def test_not_configured_means_not_scanned() -> None:
    with override_settings(CLAMAV_SOCKET=""):
        assert not scanning.configured()
