"""A resident's requests under the AVG (docs/data-rights.md): to see everything the
product holds about them (inzage, art. 15) and to have it corrected (art. 16). Each has a
legal deadline of one month from the day it was made; the privacy officer sees the open
ones, the lead worker the corrections asked on the files they hold."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataRequest(models.Model):
    class Kind(models.TextChoices):
        ACCESS = "access", _("a copy of my data")
        CORRECTION = "correction", _("a correction")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        HANDLED = "handled", _("handled")

    person = models.ForeignKey(
        "households.Person",
        on_delete=models.CASCADE,
        related_name="data_requests",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    # One month after the Amsterdam date of the request (core.months.months_after).
    due_on = models.DateField(_("answer before"))
    wrong = models.TextField(_("what is wrong"), blank=True)
    should_be = models.TextField(_("what it should be"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    handled_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    # The copy (inzage): made by a background job (privacy/export_job.py) in steps, one
    # per domain; `parts` keeps the finished steps so that a run that was stopped resumes.
    job = models.ForeignKey(
        "core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    parts = models.JSONField(default=dict, blank=True)
    export_json = models.BinaryField(blank=True, default=b"")
    export_pdf = models.BinaryField(blank=True, default=b"")

    class Meta:
        verbose_name = _("request about personal data")
        verbose_name_plural = _("requests about personal data")
        ordering: ClassVar = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.requested_at:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def ready(self) -> bool:
        return bool(self.export_pdf)
