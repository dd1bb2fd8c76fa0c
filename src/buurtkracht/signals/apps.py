from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from buurtkracht.accounts.models import User
    from buurtkracht.core.models import Job


class SignalsConfig(AppConfig):
    name = "buurtkracht.signals"
    label = "signals"
    verbose_name = _("Early signals and outreach")

    def ready(self) -> None:
        from buurtkracht.core.jobs import register_kind
        from buurtkracht.signals.queries import deliveries_of
        from buurtkracht.signals.services.deliveries import JOB_KIND

        def may_see(user: User, job: Job) -> bool:
            # Those who see the delivery (its partner's liaisons) follow its progress.
            if job.object_id is None:
                return False
            return deliveries_of(user).filter(pk=job.object_id).exists()

        register_kind(JOB_KIND, label=_("Taking in signals"), may_see=may_see)
