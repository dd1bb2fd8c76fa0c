"""The neighbourhood report as a PDF: the same tables, hidden figures and stories as the
page, with a bar chart per table.

A chart draws only what the table shows (the published, rounded figures of
`core.disclosure`), so the picture never says more than the table. A share that is not
given ("—") gets no bar. Every bar carries its number, so the chart reads without colour
and on a grey printer.
"""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from buurtkracht.core.disclosure import explanation
from buurtkracht.core.pdf import INK, LINE, MUTED, Document
from buurtkracht.outcomes.reports import OutcomeReport, ReportTable, Shown

HEAD = (232, 232, 232)
BAR = (55, 90, 140)  # dark blue: 6.9:1 against white, and every bar is labelled
LABEL_WIDTH = 52.0
VALUE_WIDTH = 18.0
BAR_HEIGHT = 5.0


def _number(figure: Shown) -> float | None:
    value = figure.export
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def bar_chart(pdf: Document, caption: str, items: list[tuple[str, Shown]]) -> None:
    """Horizontal bars, one per (label, figure), scaled to the largest shown figure."""
    numbers = [n for _label, figure in items if (n := _number(figure)) is not None]
    largest = max(numbers, default=0.0) or 1.0
    needed = 8 + (BAR_HEIGHT + 2) * len(items)
    if pdf.get_y() + needed > pdf.h - 22 and needed < pdf.h - 50:
        pdf.add_page()
    pdf.set_font("DejaVu", "B", 9)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, 5, caption, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)
    span = pdf.content_width - LABEL_WIDTH - VALUE_WIDTH
    pdf.set_font("DejaVu", "", 8)
    for label, figure in items:
        y = pdf.get_y() + 1
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(LABEL_WIDTH - 2, BAR_HEIGHT, _fit(pdf, label, LABEL_WIDTH - 2), align="R")
        value = _number(figure)
        x = pdf.l_margin + LABEL_WIDTH
        length = 0.0
        if value is not None and value > 0:
            length = max(0.6, span * value / largest)
            pdf.set_fill_color(*BAR)
            pdf.rect(x, y, length, BAR_HEIGHT, style="F")
        pdf.set_xy(x + length + 1.5, y)
        pdf.cell(VALUE_WIDTH, BAR_HEIGHT, figure.text)
        pdf.set_y(y + BAR_HEIGHT + 1)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(*LINE)
    pdf.set_line_width(0.2)
    top = pdf.get_y() - (BAR_HEIGHT + 2) * len(items)
    pdf.line(pdf.l_margin + LABEL_WIDTH, top, pdf.l_margin + LABEL_WIDTH, pdf.get_y())
    pdf.ln(3)


def _fit(pdf: Document, text: str, width: float) -> str:
    """Cut a label that does not fit, with an ellipsis."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _chart_items(table: ReportTable) -> tuple[str, list[tuple[str, Shown]]]:
    """What to draw for a table: its total row over the columns (without the row total),
    or, for the reach table, the households reached per neighbourhood."""
    if table.id == "reach":
        return (
            _("Households reached per neighbourhood"),
            [(row.label, row.figures[-1]) for row in table.rows],
        )
    assert table.total is not None
    end = -1 if table.row_total else None
    return (
        _("%(title)s — all neighbourhoods") % {"title": table.title},
        list(zip(table.columns[:end], table.total.figures[:end], strict=True)),
    )


def _table(pdf: Document, table: ReportTable) -> None:
    lines = table.lines(as_text=True)
    count = len(lines[0])
    first = 40.0
    rest = (pdf.content_width - first) / max(1, count - 1)
    pdf.set_font("DejaVu", "", 7.5)
    with pdf.table(
        col_widths=(first, *([rest] * (count - 1))),
        text_align=("LEFT", *(["RIGHT"] * (count - 1))),
        headings_style=FontFace(emphasis="BOLD", fill_color=HEAD),
        cell_fill_mode="NONE",
        line_height=4.2,
        borders_layout="HORIZONTAL_LINES",
    ) as pdf_table:
        for line in lines:
            row = pdf_table.row()
            for value in line:
                row.cell("" if value is None else str(value))
    pdf.ln(2)


def report_pdf(report: OutcomeReport) -> bytes:
    period = _("%(start)s up to and including %(end)s") % {
        "start": formats.date_format(report.period.start, "j F Y"),
        "end": formats.date_format(report.period.end, "j F Y"),
    }
    title = _("Neighbourhood report")
    pdf = Document(f"{title} · {period}", title=title)
    pdf.add_page()
    pdf.text_block(title, 22, "B", 10)
    pdf.set_text_color(*MUTED)
    pdf.text_block(_("Period: %(period)s.") % {"period": period}, 11)
    if report.team:
        pdf.text_block(_("Team: %(team)s.") % {"team": report.team}, 11)
    if report.area:
        pdf.text_block(_("Area: %(area)s.") % {"area": report.area}, 11)
    pdf.text_block(explanation(), 9, height=5)
    pdf.set_text_color(*INK)
    pdf.line_break(3)
    for table in report.tables:
        if pdf.get_y() > pdf.h - 80:
            pdf.add_page()
        pdf.text_block(table.title, 13, "B", 7)
        if report.neighbourhoods:
            caption, items = _chart_items(table)
            bar_chart(pdf, caption, items)
            _table(pdf, table)
        else:
            pdf.text_block(_("No neighbourhoods in this selection."), 10)
        if table.note:
            pdf.set_text_color(*MUTED)
            pdf.text_block(table.note, 8, height=4.5)
            pdf.set_text_color(*INK)
        pdf.line_break(4)

    pdf.add_page()
    pdf.text_block(_("Stories from the neighbourhoods"), 13, "B", 7)
    if not report.stories.stories:
        pdf.text_block(_("No stories in this period."), 10)
    for story in report.stories.stories:
        pdf.text_block(story.title, 11, "B", 6)
        pdf.set_text_color(*MUTED)
        where = " · ".join(
            part
            for part in (
                formats.date_format(story.written_on, "j F Y"),
                story.neighbourhood,
                story.source,
            )
            if part
        )
        pdf.text_block(where, 8.5, height=5)
        pdf.set_text_color(*INK)
        pdf.text_block(story.text, 10, height=5.5)
        pdf.line_break(3)
    return bytes(pdf.output())
