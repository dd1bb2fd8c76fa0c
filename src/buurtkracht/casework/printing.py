"""The plan on paper, for the fridge: plain Dutch (language level B1), one goal per block.

The resident keeps the plan at home, so the words are theirs and short: what they want,
who does what, and by when. The four-step order is shown as plain questions ("Wat doe ik
zelf?") rather than policy terms. fpdf2 writes the PDF in pure Python, with the vendored
DejaVu Sans, which has every letter of the names in the register (ş, ğ, ő, ł …).
"""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fpdf.enums import XPos, YPos

from buurtkracht.casework.models import Action, Goal, Step
from buurtkracht.casework.queries import PlanOverview
from buurtkracht.core.pdf import INK, LINE, MUTED, Document
from buurtkracht.households.models import Household


def step_question(step: int) -> str:
    """The four steps as a resident would ask them."""
    return {
        Step.OWN_STRENGTH: _("What do I do myself?"),
        Step.NETWORK: _("Who around me helps?"),
        Step.GENERAL_PROVISION: _("What help is there in the neighbourhood?"),
        Step.INDIVIDUAL_PROVISION: _("Which professional helps?"),
    }[Step(step)]


def _action_line(action: Action) -> str:
    when = (
        _("before %(date)s") % {"date": formats.date_format(action.due_date, "j F Y")}
        if action.due_date
        else ""
    )
    state = {
        Action.Status.DONE: _("done"),
        Action.Status.NOT_DONE: _("not done"),
    }.get(Action.Status(action.status), "")
    parts = [action.description, f"{_('Who')}: {action.owner}", when, state]
    return " — ".join(p for p in parts if p)


def plan_pdf(*, household: Household, overview: PlanOverview, lead_worker: str) -> bytes:
    """The plan as a PDF: a title, how many goals are reached, then one framed block per
    goal (working on it, reached, partly reached or stopped, with the resident's words and
    the day) with its actions grouped by the four steps, and the lead worker's name at the
    foot of each page."""
    plan = overview.plan
    footer = (
        _("Your contact person: %(name)s") % {"name": lead_worker} if lead_worker else _("Our plan")
    )
    pdf = Document(footer, title=str(_("Our plan")))
    pdf.add_page()
    pdf.text_block(_("Our plan"), 26, "B", 12)
    pdf.set_text_color(*MUTED)
    pdf.text_block(household.address.street_line, 12)
    if plan and plan.agreed_on:
        pdf.text_block(
            _("We agreed on this plan on %(date)s.")
            % {"date": formats.date_format(plan.agreed_on, "j F Y")},
            12,
        )
    if plan and plan.review_date and not plan.closed_on:
        pdf.text_block(
            _("We look at it again together on %(date)s.")
            % {"date": formats.date_format(plan.review_date, "j F Y")},
            12,
        )
    goals = overview.goals
    if goals:
        pdf.text_block(
            ngettext(
                "%(reached)s of %(n)s goal reached.",
                "%(reached)s of %(n)s goals reached.",
                len(goals),
            )
            % {"reached": overview.goals_reached, "n": len(goals)},
            12,
        )
    pdf.set_text_color(*INK)
    pdf.line_break(4)

    if not goals:
        pdf.text_block(_("There are no goals in the plan yet."), 14)
    for number, goal in enumerate(goals, start=1):
        _goal_block(pdf, number, goal)
    return bytes(pdf.output())


def _goal_block(pdf: Document, number: int, goal: Goal) -> None:
    actions = list(goal.actions.all())
    # Keep a goal on one page where it fits: a block torn over two pages is hard to read.
    needed = 30 + 9 * len(actions) + (14 if goal.closing_words else 0)
    if pdf.get_y() + needed > pdf.h - 24 and needed < pdf.h - 50:
        pdf.add_page()
    top = pdf.get_y()
    first_page = pdf.page_no()
    pdf.set_x(pdf.l_margin + 4)
    left = pdf.l_margin + 4
    width = pdf.w - pdf.l_margin - pdf.r_margin - 8
    pdf.set_font("DejaVu", "B", 11)
    pdf.set_text_color(*MUTED)
    label = _("Goal %(number)s") % {"number": number}
    if goal.is_closed and goal.closed_on:
        label += " — " + _("%(state)s on %(date)s") % {
            "state": goal.get_status_display(),
            "date": formats.date_format(goal.closed_on, "j F Y"),
        }
    pdf.set_y(top + 4)
    pdf.set_x(left)
    pdf.multi_cell(width, 6, label, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)
    pdf.set_font("DejaVu", "B", 16)
    pdf.set_x(left)
    pdf.multi_cell(width, 8, goal.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if goal.closing_words:
        pdf.set_font("DejaVu", "", 12)
        pdf.set_x(left)
        pdf.multi_cell(
            width,
            6.5,
            _("In my words: “%(words)s”") % {"words": goal.closing_words},
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    by_step: dict[int, list[Action]] = {}
    for action in actions:
        if action.status != Action.Status.CANCELLED:
            by_step.setdefault(action.step, []).append(action)
    for step in sorted(by_step):
        pdf.ln(2)
        pdf.set_x(left)
        pdf.set_font("DejaVu", "B", 12)
        pdf.multi_cell(width, 6.5, step_question(step), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("DejaVu", "", 12)
        for action in by_step[step]:
            pdf.set_x(left + 2)
            box = "☑" if action.status == Action.Status.DONE else "☐"
            pdf.multi_cell(
                width - 2,
                6.5,
                f"{box} {_action_line(action)}",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
    bottom = pdf.get_y() + 4
    if pdf.page_no() == first_page:  # a block longer than a page goes without a frame
        pdf.set_draw_color(*LINE)
        pdf.set_line_width(0.6)
        pdf.rect(
            pdf.l_margin,
            top,
            pdf.w - pdf.l_margin - pdf.r_margin,
            bottom - top,
            round_corners=True,
            corner_radius=3,
        )
    pdf.set_y(bottom + 5)
