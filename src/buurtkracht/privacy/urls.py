from django.urls import path

from buurtkracht.privacy import access, rights_views, views

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
    path("privacy/verzoeken/", rights_views.data_requests, name="data-requests"),
    path("privacy/verzoeken/<int:pk>/", rights_views.data_request, name="data-request"),
    path(
        "privacy/verzoeken/<int:pk>/kopie/",
        rights_views.data_request_download,
        name="data-request-download",
    ),
    path("mijn-gegevens/wie-keek/", views.my_looks, name="my-looks"),
    path("mijn-gegevens/", rights_views.my_data, name="my-data"),
    path("mijn-gegevens/kopie/", rights_views.my_data_copy, name="my-data-copy"),
    path(
        "mijn-gegevens/kopie/<int:pk>/<str:fmt>/",
        rights_views.my_data_download,
        name="my-data-download",
    ),
    path("mijn-gegevens/correctie/", rights_views.my_data_correction, name="my-data-correction"),
]
