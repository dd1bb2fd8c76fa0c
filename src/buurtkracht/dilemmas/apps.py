from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DilemmasConfig(AppConfig):
    name = "buurtkracht.dilemmas"
    label = "dilemmas"
    verbose_name = _("Dilemmas and reflection")
