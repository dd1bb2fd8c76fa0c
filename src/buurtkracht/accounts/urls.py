from django.contrib.auth import views as auth_views
from django.urls import path

from buurtkracht.accounts import password_reset, views
from buurtkracht.accounts.oidc import RESIDENT, STAFF
from buurtkracht.accounts.oidc_views import LoginCallbackView, LoginStartView

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    # Login through OpenID Connect (accounts/oidc.py): DigiD through the municipality's
    # broker for residents, the organisation's identity provider for staff. The callback
    # addresses are the redirect URIs to register with the provider (docs/operations.md).
    path("digid/", LoginStartView.as_view(kind=RESIDENT), name="oidc-resident"),
    path("digid/terug/", LoginCallbackView.as_view(kind=RESIDENT), name="oidc-resident-callback"),
    path("organisatie/", LoginStartView.as_view(kind=STAFF), name="oidc-staff"),
    path("organisatie/terug/", LoginCallbackView.as_view(kind=STAFF), name="oidc-staff-callback"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("bevestigen/", views.reauth, name="reauth"),
    path("tweestaps/", views.two_factor, name="two-factor"),
    path("activeren/", views.activate, name="activate"),
    path("activeren/<str:token>/", views.activate_link, name="activate-link"),
    # Password reset by e-mail: residents only (accounts/password_reset.py).
    path(
        "wachtwoord-vergeten/",
        password_reset.ResetRequestView.as_view(),
        name="password-reset",
    ),
    path(
        "wachtwoord-vergeten/verstuurd/",
        password_reset.ResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "wachtwoord-vergeten/nieuw/<uidb64>/<token>/",
        password_reset.ResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "wachtwoord-vergeten/klaar/",
        password_reset.ResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
]
