"""What the resident writes into their own plan (issue 19, co-writing): a goal in their
own words, a change to a goal's words, a comment on an action, an action they did
themselves. Each is kept as written and waits for a worker, who accepts it (the plan
services apply it) or answers that they want to talk about it. Nothing is applied
without the worker, and the resident's words stay here, unchanged (docs/plan.md)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtkracht.households.models import Household


class PlanProposal(models.Model):
    class Kind(models.TextChoices):
        NEW_GOAL = "new_goal", _("a new goal")
        GOAL_CHANGE = "goal_change", _("a change to a goal")
        ACTION_COMMENT = "action_comment", _("a comment on an action")
        ACTION_DONE = "action_done", _("an action done")

    class State(models.TextChoices):
        WAITING = "waiting", _("waiting for the worker")
        ACCEPTED = "accepted", _("accepted")
        DISCUSS = "discuss", _("to talk about")

    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="plan_proposals",
        verbose_name=_("household"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    goal = models.ForeignKey(
        "casework.Goal",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("goal"),
    )
    action = models.ForeignKey(
        "casework.Action",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("action"),
    )
    # As the resident wrote it; never edited afterwards.
    text = models.TextField(_("in the resident's words"), blank=True)
    domains = models.JSONField(_("life domains"), default=list, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="plan_proposals",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.WAITING
    )
    answer = models.TextField(_("the worker's answer"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # The goal an accepted new goal became.
    result_goal = models.ForeignKey(
        "casework.Goal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("goal made of it"),
    )

    class Meta:
        verbose_name = _("plan proposal")
        verbose_name_plural = _("plan proposals")
        ordering: ClassVar = ["at", "pk"]
        indexes: ClassVar = [models.Index(fields=["household", "state"])]

    def __str__(self) -> str:
        return f"{self.household_id} {self.kind} {self.state}"
