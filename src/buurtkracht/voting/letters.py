"""The one download with the plain codes: a PDF of letters to print, and a CSV for a mail
house, together in a ZIP file. After this download only the hashes remain."""

from __future__ import annotations

import csv
import io
import zipfile

from django.utils import formats
from django.utils.translation import gettext as _

from buurtkracht.core.exports import safe_line
from buurtkracht.core.pdf import Document
from buurtkracht.voting.codes import code_display
from buurtkracht.voting.models import VotingRound
from buurtkracht.voting.services import Letter, euros


def letters_pdf(voting_round: VotingRound, letters: list[Letter], vote_url: str) -> bytes:
    doc = Document(voting_round.name, title=_("Voting letters"))
    opens = formats.date_format(voting_round.opens_on, "j F Y")
    closes = formats.date_format(voting_round.closes_on, "j F Y")
    for letter in letters:
        doc.add_page()
        doc.text_block(letter.addressee, 11)
        doc.text_block(f"{letter.street_line}\n{letter.postcode} {letter.town}", 11)
        doc.line_break(14)
        doc.text_block(voting_round.name, 16, "B", 8)
        doc.line_break(4)
        doc.text_block(
            _(
                "You decide how %(budget)s is spent in your district. Residents made plans. "
                "Choose the plans you like best. You can vote from %(opens)s to %(closes)s."
            )
            % {"budget": euros(voting_round.budget), "opens": opens, "closes": closes},
            11,
        )
        doc.line_break(4)
        doc.text_block(_("How to vote"), 12, "B")
        doc.text_block(
            _("1. Go to %(url)s\n2. Type your voting code.\n3. Choose plans and confirm.")
            % {"url": vote_url},
            11,
        )
        doc.line_break(6)
        doc.text_block(_("Your voting code"), 11)
        doc.text_block(code_display(letter.code), 26, "B", 14)
        doc.line_break(6)
        doc.text_block(
            _(
                "The code votes once. Nobody can see what you voted. No computer? Bring this "
                "letter to the voting day and vote on paper. Lost this letter? Call the "
                "community worker: we block the code."
            ),
            10,
        )
        doc.line_break(10)
        doc.text_block(
            _("Letter %(number)s · %(neighbourhood)s")
            % {"number": letter.letter_number, "neighbourhood": letter.neighbourhood},
            9,
        )
    return bytes(doc.output())


def letters_csv(letters: list[Letter]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(
        [
            _("letter number"),
            _("neighbourhood"),
            _("addressee"),
            _("address"),
            _("postcode"),
            _("town"),
            _("voting code"),
        ]
    )
    for letter in letters:
        writer.writerow(
            safe_line(
                [
                    letter.letter_number,
                    letter.neighbourhood,
                    letter.addressee,
                    letter.street_line,
                    letter.postcode,
                    letter.town,
                    code_display(letter.code),
                ]
            )
        )
    return buffer.getvalue().encode("utf-8-sig")


def letters_zip(voting_round: VotingRound, letters: list[Letter], vote_url: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("brieven.pdf", letters_pdf(voting_round, letters, vote_url))
        archive.writestr("postverwerker.csv", letters_csv(letters))
    return buffer.getvalue()
