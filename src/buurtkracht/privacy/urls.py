from django.urls import path

from buurtkracht.privacy import access, views

# The namespace stays "audit": the menu, the pages and the bookmarks of privacy officers
# name these pages so, and their paths did not move with the code.
app_name = "audit"

urlpatterns = [
    path("privacy/logboek/", views.log, name="log"),
    path("privacy/logboek/export.csv", views.log_export, name="log-export"),
    path("privacy/toestemmingen/", views.consent_register, name="consents"),
    path("privacy/bewoners/<int:pk>/wie-keek/", views.person_looks, name="person-looks"),
    path("privacy/toegang/", access.access_requests, name="access-requests"),
    path(
        "privacy/toegang/<int:pk>/besluit/",
        access.access_request_decide,
        name="access-request-decide",
    ),
    path("mijn-gegevens/wie-keek/", views.my_looks, name="my-looks"),
]
