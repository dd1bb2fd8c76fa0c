"""Documents on a household file (issue 18, docs/documents.md): a letter, a budget
overview, a photo of a letter, kept with the file so the worker and the resident need not
dig through a folder at the kitchen table.

The content lives in the database beside the file, sealed (`documents.sealing`): never
under MEDIA_ROOT, never served by the web server, one backup and one transaction with the
record that describes it, so an upload is stored whole or not at all. The description and
the content are two tables, so that listing a file's documents never reads the content.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtkracht.households.models import Household


class Document(models.Model):
    class Kind(models.TextChoices):
        LETTER = "letter", _("letter")
        BUDGET = "budget", _("budget overview")
        PHOTO = "photo", _("photo of a letter")
        OTHER = "other", _("other document")

    class Scan(models.TextChoices):
        CLEAN = "clean", _("scanned for viruses, nothing found")
        NOT_SCANNED = "not_scanned", _("not scanned for viruses (ClamAV not configured)")

    # PROTECT: a document leaves a file only through the retention rules or its removal
    # by a worker (documents.services), never as a side effect; a merge moves it along.
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("household"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    dated = models.DateField(_("date of the document"), null=True, blank=True)
    filename = models.CharField(_("file name"), max_length=100)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    scan = models.CharField(_("virus scan"), max_length=16, choices=Scan.choices)
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("added by")
    )
    uploaded_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering: ClassVar = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        # Never the title: it can name a resident, and the string shows up where no
        # ground was checked (a protected object listed by the user admin's delete page).
        return str(_("document %(number)s") % {"number": self.pk})


class DocumentContent(models.Model):
    """The sealed bytes of one document (AES-GCM, bound to the document's id)."""

    document = models.OneToOneField(
        Document,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="content",
        verbose_name=_("document"),
    )
    sealed = models.BinaryField(_("sealed content"))

    class Meta:
        verbose_name = _("document content")
        verbose_name_plural = _("document contents")

    def __str__(self) -> str:
        return str(_("document %(number)s") % {"number": self.document_id})
