"""The house style of every PDF the application writes (the plan for the fridge, the
neighbourhood report): A4, the vendored DejaVu Sans (which has every letter of the names in
the register: ş, ğ, ő, ł …), grey tones that stay readable on a grey printer, and a footer
with a line of text and the page number. fpdf2 writes the PDF in pure Python."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_DIR = Path(settings.PACKAGE_DIR) / "static" / "vendor" / "fonts"
INK = (33, 33, 33)
MUTED = (85, 85, 85)  # still 7:1 on white: readable on a grey printer
LINE = (120, 120, 120)


class Document(FPDF):
    def __init__(self, footer_text: str, *, orientation: str = "P", title: str = "") -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.footer_text = footer_text
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(auto=True, margin=20)
        self.set_text_color(*INK)
        self.set_lang("nl")
        if title:
            self.set_title(title)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("DejaVu", "", 9)
        self.set_text_color(*MUTED)
        page = _("page %(number)s of %(total)s") % {"number": self.page_no(), "total": "{nb}"}
        self.cell(0, 5, f"{self.footer_text} · {page}", align="C")
        self.set_text_color(*INK)

    def line_break(self, height: float = 2) -> None:
        self.ln(height)

    def text_block(self, text: str, size: float, style: str = "", height: float = 6.5) -> None:
        self.set_font("DejaVu", style, size)
        self.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    @property
    def content_width(self) -> float:
        return float(self.w - self.l_margin - self.r_margin)
