from django.contrib.auth import views as auth_views
from django.urls import path

from buurtkracht.accounts import password_reset, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
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
