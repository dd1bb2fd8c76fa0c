"""The signals API, included by the project at api/v1/ (see `api.py`)."""

from django.urls import path

from buurtkracht.signals import api

app_name = "signals-api"

urlpatterns = [
    path("signalen/", api.signals_deliver, name="signals"),
    path("leveringen/<int:pk>/", api.delivery_status, name="delivery"),
    path("terugkoppeling/", api.feedback, name="feedback"),
    path("openapi.json", api.openapi, name="openapi"),
]
