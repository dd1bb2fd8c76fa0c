from django.urls import path

from buurtkracht.audit import views

app_name = "audit"

urlpatterns = [
    path("privacy/logboek/", views.log, name="log"),
    path("privacy/logboek/export.csv", views.log_export, name="log-export"),
    path("privacy/toestemmingen/", views.consent_register, name="consents"),
    path("privacy/bewoners/<int:pk>/wie-keek/", views.person_looks, name="person-looks"),
    path("mijn-gegevens/wie-keek/", views.my_looks, name="my-looks"),
]
