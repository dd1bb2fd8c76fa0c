from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """The privacy officer's pages: the audit log, the consent register and "who looked
    at my file". Top floor: it reads `audit`'s data layer and the households' consents;
    it has no models of its own."""

    name = "buurtkracht.privacy"
    label = "privacy"
    verbose_name = _("Privacy")
