"""The demo shows documents on story 1's file: a synthetic PDF letter and a small photo,
both opening as what they are, shown as not scanned (the demo runs without ClamAV)."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from buurtkracht.accounts.models import User
from buurtkracht.demo.generator import generate_municipality
from buurtkracht.documents.models import Document
from buurtkracht.documents.queries import document_bytes
from buurtkracht.households.models import Household

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_story_one_has_a_letter_and_a_photo() -> None:
    generate_municipality(seed=1, households=60, progress=False)
    resident = User.objects.get(username="bewoner")
    story = Household.objects.get(memberships__person=resident.person)
    documents = {d.kind: d for d in Document.objects.filter(household=story)}
    assert set(documents) == {"letter", "photo"}
    assert Document.objects.exclude(household=story).count() == 0
    letter = documents["letter"]
    text = PdfReader(io.BytesIO(document_bytes(letter))).pages[0].extract_text()
    assert "achterstand in de huur" in text and "verzonnen brief" in text
    with Image.open(io.BytesIO(document_bytes(documents["photo"]))) as image:
        assert image.format == "PNG"
    assert {d.scan for d in documents.values()} == {Document.Scan.NOT_SCANNED}
    assert {d.uploaded_by.username for d in documents.values()} == {"wijkwerker"}
