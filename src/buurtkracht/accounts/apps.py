from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "buurtkracht.accounts"
    label = "accounts"
    verbose_name = _("Accounts, roles and teams")

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import post_migrate

        from buurtkracht.accounts.oidc import oidc_settings_check

        checks.register(oidc_settings_check)

        from buurtkracht.accounts import reauth  # noqa: F401  (marks fresh logins)
        from buurtkracht.accounts.roles import sync_role_groups

        post_migrate.connect(sync_role_groups, sender=self)
