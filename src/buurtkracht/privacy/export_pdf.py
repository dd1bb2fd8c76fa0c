"""The readable copy of a resident's data (AVG art. 15): the sections of
`privacy/export.py` as a PDF in the house style (`core.pdf`), every field with its label,
in plain words; what is left out is said where it is left out."""

from __future__ import annotations

from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from buurtkracht.core.pdf import INK, MUTED, Document
from buurtkracht.households.models import Person
from buurtkracht.privacy.export import NOT_EXPORTED, ordered_sections


def _text(value: Any) -> str:
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


def _filled(value: Any) -> bool:
    return value not in (None, "", [], {})


def export_pdf(person: Person, parts: dict[str, list[dict[str, Any]]], made_at: Any) -> bytes:
    title = _("Your data in Buurtkracht")
    pdf = Document(title, title=title)
    pdf.add_page()
    pdf.text_block(title, 24, "B", 11)
    pdf.set_text_color(*MUTED)
    pdf.text_block(
        _("About %(name)s, made on %(date)s.")
        % {
            "name": person.full_name,
            "date": formats.date_format(timezone.localtime(made_at), "j F Y, H:i"),
        },
        12,
    )
    pdf.set_text_color(*INK)
    pdf.line_break(3)
    pdf.text_block(
        _(
            "This is everything Buurtkracht holds about you, as you asked (AVG article "
            "15). Is something wrong? Ask for a correction on the page My data, or ask "
            "your worker."
        ),
        11,
    )
    for section in ordered_sections(parts):
        pdf.line_break(5)
        pdf.text_block(section["title"], 16, "B", 8)
        if section["note"]:
            pdf.set_text_color(*MUTED)
            pdf.text_block(section["note"], 10, "", 5.5)
            pdf.set_text_color(*INK)
        if not section["records"]:
            pdf.text_block(_("Nothing recorded."), 11)
        for record in section["records"]:
            pdf.line_break(2)
            for field in record:
                if _filled(field["value"]):
                    pdf.text_block(f"{field['label']}: {_text(field['value'])}", 10.5, "", 5.5)
            y = pdf.get_y() + 1
            pdf.line(pdf.l_margin, y, pdf.l_margin + pdf.content_width, y)
            pdf.line_break(2)
    pdf.line_break(5)
    pdf.text_block(_("Not in this copy"), 16, "B", 8)
    for reason in NOT_EXPORTED.values():
        pdf.text_block(str(reason), 10.5, "", 5.5)
        pdf.line_break(1)
    return bytes(pdf.output())
