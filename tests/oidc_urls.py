"""The site's URLs with the test OpenID Connect provider (tests/oidc_provider.py) beside
them, for the login tests only: production never mounts a provider."""

from django.urls import URLPattern, URLResolver, include, path

from buurtkracht.urls import urlpatterns as site_urlpatterns

urlpatterns: list[URLPattern | URLResolver] = [
    path("test-oidc/", include("tests.oidc_provider")),
    *site_urlpatterns,
]
