from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


def brp_connection_check(**kwargs: Any) -> list[checks.CheckMessage]:
    """The BRP client's certificate, key and CA files load (docs/operations.md)."""
    from buurtkracht.core.brp import check_connection_files

    return [
        checks.Error(
            f"The BRP connection cannot use its TLS files: {problem}",
            hint="Check BUURTKRACHT_BRP_CLIENT_CERT, _CLIENT_KEY and _CA_BUNDLE "
            "(readable PEM files; the key belongs to the certificate).",
            id="buurtkracht.E001",
        )
        for problem in check_connection_files()
    ]


class CoreConfig(AppConfig):
    name = "buurtkracht.core"
    label = "core"
    verbose_name = _("Areas, addresses and organisations")

    def ready(self) -> None:
        checks.register(brp_connection_check)
        # Names are compared folded in the database too (core.names.Folded).
        from django.db.backends.signals import connection_created

        from buurtkracht.core.names import register_sqlite_fold

        connection_created.connect(register_sqlite_fold, dispatch_uid="buurtkracht-fold")
        # The task queue's own table is not configuration: a job is followed on its page
        # (/taken/<id>/, docs/jobs.md). The admin has registered everything by now.
        from django.contrib import admin
        from django_tasks_db.models import DBTaskResult

        if admin.site.is_registered(DBTaskResult):
            admin.site.unregister(DBTaskResult)
