from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "buurtkracht.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from buurtkracht.audit import signals  # noqa: F401  (login and failed-login events)
