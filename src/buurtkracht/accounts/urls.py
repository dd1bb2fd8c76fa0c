from django.contrib.auth import views as auth_views
from django.urls import path

from buurtkracht.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("bevestigen/", views.reauth, name="reauth"),
    path("tweestaps/", views.two_factor, name="two-factor"),
    path("activeren/", views.activate, name="activate"),
    path("activeren/<str:token>/", views.activate_link, name="activate-link"),
]
