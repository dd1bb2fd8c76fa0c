"""The register's view of each person and the extracts taken in (issue 16,
docs/register.md): what the BRP says, kept beside what the worker keeps, so the
composition page can show where they differ."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtkracht.core.models import Address


class RegisterEntry(models.Model):
    """The register's (BRP) view of a person at the last extract that changed it: where
    the register says they live, since when, and whether they left the municipality or
    died. Compared with a later extract to find what changed; shown beside the worker's
    composition where the two differ. Only what the product uses (docs/register.md)."""

    person = models.OneToOneField(
        "households.Person",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="register_entry",
        verbose_name=_("person"),
    )
    address = models.ForeignKey(
        Address,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("address in the register"),
    )
    living_since = models.DateField(_("living there since"), null=True, blank=True)
    departed_on = models.DateField(_("left the municipality on"), null=True, blank=True)
    died_on = models.DateField(_("died on"), null=True, blank=True)
    # A hash of the names and birth date as the register gave them: a name is updated
    # only when the register's own name changed, so a worker's correction is kept.
    identity_print = models.BigIntegerField(_("identity fingerprint"), default=0)
    # A hash of the extract's line: an unchanged line is skipped without being read.
    line_print = models.BigIntegerField(_("line fingerprint"), default=0)
    updated_on = models.DateField(_("updated on"))

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.address_id}"


class RegisterExtract(models.Model):
    """A register extract uploaded by a functional administrator, taken in by a
    background job (households/register_jobs.py). The file is kept only until it is
    taken in; then only the counts and the first lines set aside remain."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting to be taken in")
        DONE = "done", _("taken in")
        FAILED = "failed", _("failed")

    filename = models.CharField(_("file name"), max_length=255)
    data = models.BinaryField(_("content"), blank=True)
    on = models.DateField(_("moves without a date count from"))
    uploaded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.WAITING
    )
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    # The first lines set aside, as "Line N: what is wrong" (no resident data).
    errors = models.JSONField(_("lines set aside"), default=list, blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("register extract")
        verbose_name_plural = _("register extracts")
        ordering: ClassVar = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.filename
