from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CirclesConfig(AppConfig):
    name = "buurtkracht.circles"
    label = "circles"
    verbose_name = _("Learning circles")
