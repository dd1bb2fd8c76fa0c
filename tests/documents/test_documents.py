"""Documents on a household file: what is taken in (by content, not by name), how it is
kept (sealed), who may add, download and remove it (the file's grounds, 404 otherwise),
the audit trail of every download, and the clear Dutch refusals that store nothing."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from buurtkracht.accounts.services import team_membership_create
from buurtkracht.audit.models import Action, AuditEvent
from buurtkracht.core import filetypes
from buurtkracht.core.filetypes import Examined
from buurtkracht.documents.models import Document, DocumentContent
from buurtkracht.documents.queries import document_bytes
from buurtkracht.documents.sealing import CannotOpen, seal, unseal
from buurtkracht.documents.services import document_add
from tests import factories
from tests.conftest import Personas
from tests.documents.helpers import (
    EXE_BYTES,
    HEIC_BYTES,
    JPEG_BYTES,
    OLE2_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    odf,
    ooxml,
    upload,
)

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, household_pk: int, name: str, data: bytes, **fields: str) -> Any:
    return client.post(
        reverse("documents:new", args=[household_pk]),
        {
            "file": upload(name, data),
            "title": fields.get("title", "Brief van de verhuurder"),
            "kind": fields.get("kind", "letter"),
            "dated": fields.get("dated", "02-11-2026"),
        },
    )


def _add(personas: Personas, data: bytes = PDF_BYTES, title: str = "Brief") -> Document:
    return document_add(
        household=personas.household,
        user=personas.worker,
        examined=Examined(data=data, kind=filetypes.PDF, filename="brief.pdf"),
        title=title,
        kind="letter",
        dated=dt.date(2026, 11, 2),
    )


# What a file is: its content decides ------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF_BYTES, filetypes.PDF),
        (JPEG_BYTES, filetypes.JPEG),
        (PNG_BYTES, filetypes.PNG),
        (HEIC_BYTES, filetypes.HEIC),
        (ooxml("word/document.xml"), filetypes.DOCX),
        (ooxml("xl/workbook.xml"), filetypes.XLSX),
        (odf("application/vnd.oasis.opendocument.text"), filetypes.ODT),
        (odf("application/vnd.oasis.opendocument.spreadsheet"), filetypes.ODS),
    ],
)
def test_allowed_kinds_are_recognised_by_their_content(data: bytes, kind: Any) -> None:
    assert filetypes.identify(io.BytesIO(data)) == kind


@pytest.mark.parametrize(
    "data",
    [EXE_BYTES, b"plain text, nothing else", b"PK\x03\x04broken zip", odf("application/x-foo")],
)
def test_other_content_is_no_allowed_kind(data: bytes) -> None:
    assert filetypes.identify(io.BytesIO(data)) is None


def test_macros_and_old_office_files_are_refused_on_purpose() -> None:
    with pytest.raises(filetypes.Refused, match="macro"):
        filetypes.identify(io.BytesIO(ooxml("word/document.xml", macros=True)))
    with pytest.raises(filetypes.Refused, match=r"\.doc"):
        filetypes.identify(io.BytesIO(OLE2_BYTES))


@pytest.mark.parametrize(
    ("given", "kind", "stored"),
    [
        ("../../etc/passwd", filetypes.PDF, "passwd.pdf"),
        ("C:\\Users\\me\\Brief huur.PDF", filetypes.PDF, "Brief huur.pdf"),
        ("foto.jpg", filetypes.PNG, "foto.png"),  # the content decides the extension
        ("<script>alert(1)</script>.pdf", filetypes.PDF, "script.pdf"),
        (".htaccess", filetypes.PDF, "htaccess.pdf"),
        ("....pdf", filetypes.PDF, "pdf.pdf"),
        ("\x00\x1b[31m.pdf", filetypes.PDF, "31m.pdf"),
        ("Brief van de Sociale Verzekeringsbank " * 10 + ".pdf", filetypes.PDF, None),
        ("Beschikking Şahin–Kovačević.pdf", filetypes.PDF, "Beschikking Şahin_Kovačević.pdf"),
    ],
)
def test_names_are_made_safe(given: str, kind: Any, stored: str | None) -> None:
    name = filetypes.safe_name(given, kind)
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert len(name) <= filetypes.MAX_NAME and name.endswith(f".{kind.extension}")
    if stored is not None:
        assert name == stored


# Sealed at rest ----------------------------------------------------------------------------


def test_the_content_is_sealed_in_the_database_and_bound_to_its_document(
    personas: Personas,
) -> None:
    document = _add(personas)
    sealed = bytes(DocumentContent.objects.get(document=document).sealed)
    assert b"verhuurder" not in sealed and b"%PDF" not in sealed
    assert document_bytes(document) == PDF_BYTES
    # A seal copied onto another document does not open there.
    other = _add(personas, data=b"%PDF-1.4 other")
    with pytest.raises(CannotOpen):
        unseal(other.pk, sealed)


def test_a_rotated_secret_key_still_opens_with_the_old_one_as_fallback() -> None:
    with override_settings(SECRET_KEY="old-key-" * 8):
        blob = seal(7, b"inhoud")
    with override_settings(SECRET_KEY="new-key-" * 8, SECRET_KEY_FALLBACKS=["old-key-" * 8]):
        assert unseal(7, blob) == b"inhoud"
    with (
        override_settings(SECRET_KEY="new-key-" * 8, SECRET_KEY_FALLBACKS=[]),
        pytest.raises(CannotOpen),
    ):
        unseal(7, blob)


# Adding one -------------------------------------------------------------------------------


def test_the_lead_worker_adds_a_letter_and_it_is_on_the_household_page(
    personas: Personas,
) -> None:
    personas.make_worker_lead()
    client = _client(personas.worker)
    page = client.get(reverse("documents:new", args=[personas.household.pk]))
    assert page.status_code == 200
    assert "niet gescand op virussen" in page.content.decode()
    response = _post(client, personas.household.pk, "scan brief.PDF", PDF_BYTES)
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.filename == "scan brief.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF_BYTES)
    assert document.dated == dt.date(2026, 11, 2)
    assert document.uploaded_by == personas.worker
    assert document.scan == Document.Scan.NOT_SCANNED
    created = AuditEvent.objects.get(action=Action.CREATE, details__document=document.pk)
    assert created.actor_id == personas.worker.pk
    body = client.get(reverse("workspace:household", args=[personas.household.pk]))
    text = body.content.decode()
    assert "Brief van de verhuurder" in text
    assert "niet gescand op virussen (ClamAV niet ingesteld)" in text
    assert reverse("documents:download", args=[personas.household.pk, document.pk]) in text


def test_a_photo_of_a_letter_named_wrongly_is_stored_as_what_it_is(personas: Personas) -> None:
    personas.make_worker_lead()
    response = _post(
        _client(personas.worker),
        personas.household.pk,
        "IMG_2041.jpg",
        PNG_BYTES,
        kind="photo",
        title="Foto van de aanmaning",
        dated="",
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.filename, document.content_type, document.dated) == (
        "IMG_2041.png",
        "image/png",
        None,
    )


def _refused(response: Any) -> str:
    assert response.status_code == 400
    assert Document.objects.count() == 0
    assert DocumentContent.objects.count() == 0
    assert not AuditEvent.objects.filter(action=Action.CREATE).exists()
    return str(response.content.decode())


def test_a_program_disguised_as_a_pdf_is_refused_and_nothing_is_stored(
    personas: Personas,
) -> None:
    personas.make_worker_lead()
    body = _refused(
        _post(_client(personas.worker), personas.household.pk, "factuur.pdf", EXE_BYTES)
    )
    assert "Het bestand heet “factuur.pdf”, maar het is vanbinnen geen PDF-bestand" in body
    # What was typed stays.
    assert 'value="Brief van de verhuurder"' in body


def test_a_kind_that_is_not_allowed_is_refused(personas: Personas) -> None:
    personas.make_worker_lead()
    body = _refused(_post(_client(personas.worker), personas.household.pk, "setup.exe", EXE_BYTES))
    assert "Dit soort bestand kan niet worden toegevoegd" in body


def test_an_office_file_with_macros_is_refused(personas: Personas) -> None:
    personas.make_worker_lead()
    data = ooxml("word/document.xml", macros=True)
    body = _refused(_post(_client(personas.worker), personas.household.pk, "brief.docm", data))
    assert "macro" in body


@override_settings(DOCUMENTS_MAX_MB=1)
def test_a_file_over_the_limit_is_refused_with_its_size(personas: Personas) -> None:
    personas.make_worker_lead()
    data = PDF_BYTES + b"0" * (1024 * 1024 + 300_000)
    body = _refused(_post(_client(personas.worker), personas.household.pk, "groot.pdf", data))
    assert "Het bestand is 1,3 MB. U kunt hoogstens 1 MB toevoegen." in body


def test_an_empty_file_no_title_and_an_impossible_date_are_each_said(
    personas: Personas,
) -> None:
    personas.make_worker_lead()
    body = _refused(
        _post(
            _client(personas.worker),
            personas.household.pk,
            "leeg.pdf",
            b"",
            title="",
            dated="02-11-1826",
        )
    )
    assert "Het bestand is leeg" in body or "Kies het bestand" in body
    assert "Geef het document een titel." in body
    assert "1826" in body or "datum" in body


# Who may: the file's grounds --------------------------------------------------------------


def test_download_is_an_attachment_with_its_type_nosniff_and_logged(personas: Personas) -> None:
    personas.make_worker_lead()
    document = _add(personas, title="Aanmaning energie")
    url = reverse("documents:download", args=[personas.household.pk, document.pk])
    for user in (personas.worker, personas.team_leader, personas.resident):
        client = _client(user)
        before = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True)[0]
        response = client.get(url)
        assert response.status_code == 200, user.username
        assert response.content == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="brief.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        looks = AuditEvent.objects.filter(sequence__gt=before)
        assert looks.count() == 1
        look = looks.get()
        assert look.actor_id == user.pk and look.allowed
        assert look.action == Action.READ
        assert look.details["document"] == document.pk
        assert set(look.subjects.values_list("person_id", flat=True)) == set(
            personas.household.current_member_ids()
        )


def test_outsiders_get_the_404_of_a_missing_file_and_the_refusal_is_logged(
    personas: Personas,
) -> None:
    personas.make_worker_lead()
    document = _add(personas)
    urls = [
        reverse("documents:download", args=[personas.household.pk, document.pk]),
        reverse("documents:new", args=[personas.household.pk]),
        reverse("documents:remove", args=[personas.household.pk, document.pk]),
    ]
    for user in (
        personas.colleague,
        personas.volunteer,
        personas.partner_liaison,
        personas.policy_advisor,
        personas.privacy_officer,
        personas.functional_admin,
        personas.signal_officer,
    ):
        client = _client(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user.username, url)
        assert AuditEvent.objects.filter(actor_id=user.pk, allowed=False).exists()
    assert Document.objects.count() == 1


def test_a_document_of_another_file_is_not_found_through_this_one(personas: Personas) -> None:
    personas.make_worker_lead()
    other = factories.MembershipFactory.create().household
    foreign = document_add(
        household=other,
        user=personas.worker,
        examined=Examined(data=PDF_BYTES, kind=filetypes.PDF, filename="x.pdf"),
        title="Elders",
        kind="letter",
        dated=None,
    )
    url = reverse("documents:download", args=[personas.household.pk, foreign.pk])
    assert _client(personas.worker).get(url).status_code == 404


def test_readers_without_a_write_ground_download_but_do_not_add_or_remove(
    personas: Personas,
) -> None:
    """The resident and a colleague reading team-wide see and open the documents; adding
    and removing is for the workers involved and the team leader."""
    document = _add(personas)
    municipality = personas.household.address.neighbourhood.municipality  # type: ignore[union-attr]
    municipality.team_wide_reading = True
    municipality.save()
    reader = factories.UserFactory.create(username="teamgenoot")
    team_membership_create(user=reader, team=personas.household.address.neighbourhood.teams.get())  # type: ignore[union-attr]
    for user in (personas.resident, reader):
        client = _client(user)
        page = client.get(reverse("workspace:household", args=[personas.household.pk]))
        assert "Brief" in page.content.decode()
        assert reverse("documents:new", args=[personas.household.pk]) not in page.content.decode()
        download = reverse("documents:download", args=[personas.household.pk, document.pk])
        assert client.get(download).status_code == 200
        assert client.get(reverse("documents:new", args=[personas.household.pk])).status_code == 404
        assert _post(client, personas.household.pk, "b.pdf", PDF_BYTES).status_code == 404
        remove = reverse("documents:remove", args=[personas.household.pk, document.pk])
        assert client.post(remove, {"reason": "weg"}).status_code == 404
    assert Document.objects.count() == 1


def test_the_lead_worker_removes_a_document_with_a_reason(personas: Personas) -> None:
    personas.make_worker_lead()
    document = _add(personas)
    client = _client(personas.worker)
    url = reverse("documents:remove", args=[personas.household.pk, document.pk])
    refused = client.post(url, {"reason": " "})
    assert refused.status_code == 400
    assert "Schrijf op waarom het document weg moet." in refused.content.decode()
    assert client.post(url, {"reason": "Bij het verkeerde dossier gezet"}).status_code == 302
    assert not Document.objects.exists() and not DocumentContent.objects.exists()
    removed = AuditEvent.objects.get(action=Action.DELETE)
    assert removed.reason == "Bij het verkeerde dossier gezet"
    assert removed.details["document"] == document.pk


def test_a_merge_moves_the_documents_to_the_file_that_stays(personas: Personas) -> None:
    from buurtkracht.casework.merge import household_merge

    duplicate = factories.HouseholdFactory.create(address=personas.household.address)
    moved = document_add(
        household=duplicate,
        user=personas.team_leader,
        examined=Examined(data=PDF_BYTES, kind=filetypes.PDF, filename="x.pdf"),
        title="Uit het dubbele dossier",
        kind="letter",
        dated=None,
    )
    household_merge(
        keep=personas.household, duplicate=duplicate, by=personas.team_leader, reason="dubbel"
    )
    moved.refresh_from_db()
    assert moved.household_id == personas.household.pk
    assert document_bytes(moved) == PDF_BYTES
