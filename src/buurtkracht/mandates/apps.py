from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MandatesConfig(AppConfig):
    name = "buurtkracht.mandates"
    label = "mandates"
    verbose_name = _("Mandates")
