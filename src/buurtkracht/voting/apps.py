from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "buurtkracht.voting"
    label = "voting"
    verbose_name = _("Participatory budgeting")

    def ready(self) -> None:
        from buurtkracht.core.jobs import register_kind
        from buurtkracht.voting.letters_job import JOB_KIND, may_see

        register_kind(JOB_KIND, label=_("Making the voting letters"), may_see=may_see)
