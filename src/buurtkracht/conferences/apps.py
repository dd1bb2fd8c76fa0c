from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    name = "buurtkracht.conferences"
    label = "conferences"
    verbose_name = _("Case conferences and precedents")
