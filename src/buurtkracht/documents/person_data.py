"""What `documents` holds about one resident, for their copy of their data (AVG art. 15,
`privacy/export.py`): the list of documents on their household's file. The documents
themselves are downloaded from the file; the copy lists them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from buurtkracht.core.person_data import Section, model_record
from buurtkracht.documents.models import Document
from buurtkracht.households.models import Household, Person


def person_sections(person: Person, households: list[Household]) -> list[Section]:
    documents = Document.objects.filter(household_id__in=[h.pk for h in households]).order_by(
        "uploaded_at", "pk"
    )
    return [
        Section(
            "documents",
            _("Documents on your file"),
            [
                model_record(d, ["title", "kind", "dated", "filename", "size", "uploaded_at"])
                for d in documents
            ],
            note=_("Open a document itself from your file."),
        )
    ]
