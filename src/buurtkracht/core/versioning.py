"""Optimistic versioning for records two people can change (issue 15, finding 9).

Two workers open the same network tie in two tabs; the second save used to overwrite the
first without a word. Now a record that two people can edit carries a `version`
(`Versioned`). Its edit form (`core.forms.VersionedForm`) sends back the version the user
opened, and the service claims the next version in one conditional UPDATE
(`version_claim`): if someone else saved in between, it raises `ChangedMeanwhile` and
nothing is written. The form then says what changed and keeps what the user typed.

Writes that do not come from an opened form (ending a tie, "do not contact", marking an
entry checked) claim the next version without a check, so that a form opened before them
is refused rather than silently undoing them.

The plan (`casework.Plan.version`) works the same way with its own helper, older than
this module.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class Versioned(models.Model):
    """A record whose every change raises `version` (see the module docstring)."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save everything but the version of an existing record: only version_claim
        writes it, in SQL, so that a copy read before someone else's save cannot put
        the old number back."""
        if not self._state.adding and kwargs.get("update_fields") is None and not args:
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key
                and field.name != "version"
                and field.attname not in deferred
            ]
        super().save(*args, **kwargs)


class ChangedMeanwhile(ValidationError):
    """Someone else saved the record after this user opened it. Nothing was saved."""

    def __init__(self, record: Versioned) -> None:
        super().__init__(
            _(
                "Someone else changed this while you were working on it. Nothing of yours "
                "is saved yet: what you typed is still below."
            ),
            code="changed_meanwhile",
        )
        self.record = record


def version_claim(record: Versioned, expected: int | None) -> None:
    """Claim the next version of `record` inside the caller's transaction.

    `expected` is the version the user opened (from the form); the UPDATE is conditional
    on it, so of two saves at the same moment only one wins, on any database. `None`
    means a write that does not come from an opened form: the version rises whatever it
    is. Raises ChangedMeanwhile (nothing updated) when the record moved on."""
    rows = type(record)._default_manager.filter(pk=record.pk)
    if expected is None:
        rows.update(version=F("version") + 1)
        record.version = rows.values_list("version", flat=True).get()
        return
    if not rows.filter(version=expected).update(version=expected + 1):
        raise ChangedMeanwhile(record)
    record.version = expected + 1
