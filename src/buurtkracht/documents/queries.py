"""Reads of documents. Who may read a file is decided before these are called (the guard,
`households.guard.household_for_request`); these only fetch what belongs to that file."""

from __future__ import annotations

from django.db.models import QuerySet

from buurtkracht.documents.models import Document, DocumentContent
from buurtkracht.documents.sealing import unseal
from buurtkracht.households.models import Household


def documents_of(household: Household) -> QuerySet[Document]:
    """The documents on `household`'s file, newest first, without their content. One
    query, whatever the number of documents."""
    return Document.objects.filter(household=household).select_related("uploaded_by")


def document_of(household: Household, pk: int) -> Document | None:
    """The document `pk` if it is on `household`'s file (a document of another file is
    not found here, whatever the user may see elsewhere)."""
    return documents_of(household).filter(pk=pk).first()


def document_bytes(document: Document) -> bytes:
    """The document's content, unsealed. Raises sealing.CannotOpen when no configured
    key opens it."""
    content = DocumentContent.objects.get(document=document)
    return unseal(document.pk, bytes(content.sealed))
