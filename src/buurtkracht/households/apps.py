from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "buurtkracht.households"
    label = "households"
    verbose_name = _("Households and residents")

    def ready(self) -> None:
        from buurtkracht.core.jobs import register_kind
        from buurtkracht.households.register_jobs import JOB_KIND, may_see

        register_kind(JOB_KIND, label=_("Taking in a register extract"), may_see=may_see)
