"""Root URL configuration. Login is required everywhere unless a view opts out."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language
from django.views.static import serve

admin.site.site_header = _("Buurtkracht — configuration")
admin.site.site_title = _("Buurtkracht configuration")
admin.site.index_title = _("Areas, organisations, teams and accounts")

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("buurtkracht.workspace.urls")),
    path("", include("buurtkracht.core.urls")),
    path("accounts/", include("buurtkracht.accounts.urls")),
    path("huishoudens/", include("buurtkracht.households.urls")),
    path("huishoudens/", include("buurtkracht.casework.urls")),
    path("agenda/", include("buurtkracht.casework.calendar_urls")),
    path("signalen/", include("buurtkracht.signals.urls")),
    path("huishoudens/", include("buurtkracht.outcomes.urls")),
    path("huishoudens/", include("buurtkracht.network.urls")),
    path("sociale-kaart/", include("buurtkracht.socialmap.urls")),
    path("huishoudens/", include("buurtkracht.referrals.urls")),
    path("huishoudens/", include("buurtkracht.documents.urls")),
    path("", include("buurtkracht.mandates.urls")),
    path("vrijwilligers/", include("buurtkracht.volunteering.urls")),
    path("initiatieven/", include("buurtkracht.initiatives.urls")),
    path("stemmen/", include("buurtkracht.voting.urls")),
    path("leerkringen/", include("buurtkracht.circles.urls")),
    path("casusoverleg/", include("buurtkracht.conferences.urls")),
    path("dilemmas/", include("buurtkracht.dilemmas.urls")),
    path("", include("buurtkracht.privacy.urls")),
    path("meldingen/", include("buurtkracht.notifications.urls")),
    path("api/v1/", include("buurtkracht.signals.api_urls")),
    # The language button is in every page's header, the public ones included (login,
    # propose an initiative, the ballot): switching must work before signing in, so the
    # view opts out of LoginRequiredMiddleware, which would send the POST to the login page.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("beheer/", admin.site.urls),
]

if not settings.IS_PRODUCTION:
    # The demo and the tests serve the uploaded files themselves; production leaves
    # /media/ to the web server (README, Production). Public on purpose: the only uploads
    # are the photos of initiatives' reports back, shown on the public results page.
    urlpatterns.append(
        re_path(
            r"^media/(?P<path>.+)$",
            login_not_required(serve),
            {"document_root": settings.MEDIA_ROOT},
            name="media",
        )
    )
