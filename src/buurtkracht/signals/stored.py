"""What a delivery holds until it is taken in: the file or the API batch as received.

The request stores it and returns at once; the background job (signals.tasks) reads it
from here, as often as it has to start again, and deletes it when the delivery is done —
the signals and the rows set aside are what is kept (docs/jobs.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryContent(models.Model):
    delivery = models.OneToOneField(
        "signals.Delivery",
        on_delete=models.CASCADE,
        related_name="content",
        verbose_name=_("delivery"),
    )
    # A file as delivered (bytes), or an API batch (its signals as JSON objects).
    data = models.BinaryField(_("file"), null=True, blank=True)
    rows = models.JSONField(_("rows"), null=True, blank=True)
    # The day it was received: checks against "today" use this day however late it runs.
    received_on = models.DateField(_("received on"))
    # The partner chose to leave out columns that are not recognised (upload page).
    allow_unknown_columns = models.BooleanField(_("leave out unknown columns"), default=False)
    # The API token that delivered it, for the access log.
    username = models.CharField(_("user name"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("delivery content")
        verbose_name_plural = _("delivery contents")

    def __str__(self) -> str:
        return f"{self.delivery_id}"
