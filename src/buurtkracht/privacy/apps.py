from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """The privacy officer's pages: the audit log, the consent register, "who looked at
    my file", and the resident's data rights (a copy of their data, a correction; the
    requests are `households.DataRequest`). Top floor: it reads every domain (the copy)
    and `audit`'s data layer; it has no models of its own."""

    name = "buurtkracht.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from buurtkracht.core.jobs import register_kind
        from buurtkracht.privacy.export_job import JOB_KIND, may_see

        register_kind(JOB_KIND, label=_("Making a copy of your data"), may_see=may_see)
