"""Documents for the demo: story 1's file holds the housing corporation's letter about
the rent arrears (a PDF made with the project's own PDF helper) and a photo of the energy
supplier's reminder (a small drawn image). Both are synthetic: made here, naming only the
demo's invented people and organisations. The demo runs without ClamAV, so the file
shows them as not scanned for viruses, as a real installation without a scanner would."""

from __future__ import annotations

import datetime as dt
import io

from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from buurtkracht.core.filetypes import PDF, PNG, Examined
from buurtkracht.core.pdf import Document as PdfDocument
from buurtkracht.demo.places import MUNICIPALITY_NAME
from buurtkracht.documents.models import Document
from buurtkracht.documents.services import document_add
from buurtkracht.households.models import Household, Involvement


def _letter(name: str, street_line: str, dated: dt.date) -> bytes:
    corporation = f"Woonstichting {MUNICIPALITY_NAME}"
    pdf = PdfDocument(f"{corporation} · voorbeeldbrief (demo)", title="Betalingsherinnering huur")
    # A fixed creation date: the same town gives the same letter.
    pdf.set_creation_date(dt.datetime(dated.year, dated.month, dated.day, tzinfo=dt.UTC))
    pdf.add_page()
    pdf.text_block(corporation, 14, "B")
    pdf.text_block(f"{name}\n{street_line}\n{MUNICIPALITY_NAME}", 11)
    pdf.line_break(6)
    pdf.text_block(f"{MUNICIPALITY_NAME}, {dated:%d-%m-%Y}", 11)
    pdf.text_block("Betreft: achterstand in de huur", 11, "B")
    pdf.line_break(4)
    pdf.text_block(
        "Beste bewoner,\n\nUit onze administratie blijkt dat de huur van de afgelopen twee "
        "maanden nog niet is betaald. Het gaat om € 1.386,40. Wij willen graag samen met u "
        "een betalingsregeling afspreken. Neem binnen veertien dagen contact met ons op, of "
        "vraag uw wijkteam om hulp.\n\nMet vriendelijke groet,\n\nAfdeling Huurzaken",
        11,
    )
    pdf.line_break(8)
    pdf.text_block("Dit is een verzonnen brief uit de demo van Buurtkracht.", 9)
    return bytes(pdf.output())


def _photo() -> bytes:
    """A small picture of a reminder on a table: a sheet with a red heading bar and grey
    lines of text. Drawn, never a real photo."""
    image = Image.new("RGB", (240, 320), (214, 196, 168))
    draw = ImageDraw.Draw(image)
    draw.rectangle((24, 20, 216, 300), fill=(252, 252, 250), outline=(150, 150, 150))
    draw.rectangle((40, 36, 200, 54), fill=(180, 40, 40))
    for row in range(8):
        y = 76 + row * 24
        draw.line((40, y, 200 - (row % 3) * 30, y), fill=(110, 110, 110), width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


@transaction.atomic
def documents_demo_create(*, resident_household: Household | None) -> int:
    """Two documents on story 1's file, added by its lead worker; returns how many."""
    if resident_household is None:
        return 0
    lead = (
        Involvement.objects.filter(
            household=resident_household, kind=Involvement.Kind.LEAD, end_date__isnull=True
        )
        .select_related("worker")
        .first()
    )
    if lead is None:
        return 0
    member = resident_household.current_memberships().select_related("person").first()
    name = member.person.full_name if member else "De bewoner"
    today = timezone.localdate()
    letter_date = today - dt.timedelta(days=40)
    document_add(
        household=resident_household,
        user=lead.worker,
        examined=Examined(
            data=_letter(name, resident_household.address.street_line, letter_date),
            kind=PDF,
            filename="Betalingsherinnering huur.pdf",
        ),
        title="Betalingsherinnering van de woonstichting",
        kind=Document.Kind.LETTER,
        dated=letter_date,
    )
    document_add(
        household=resident_household,
        user=lead.worker,
        examined=Examined(data=_photo(), kind=PNG, filename="Foto aanmaning energie.png"),
        title="Foto van de aanmaning van Energie Noordwest",
        kind=Document.Kind.PHOTO,
        dated=today - dt.timedelta(days=21),
    )
    return 2
