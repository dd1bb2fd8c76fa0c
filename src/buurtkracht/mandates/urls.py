"""Mandates (issue 20): included at the root; the decision form hangs off the household."""

from django.urls import path

from buurtkracht.mandates import views

app_name = "mandates"

urlpatterns = [
    path("huishoudens/<int:pk>/mandaatbesluit/", views.decision_new, name="decision-new"),
    path("mandaten/", views.mandate_list, name="list"),
    path("mandaten/<int:mandate_pk>/gebruik/", views.mandate_report, name="usage"),
    path("mandaten/besluiten/", views.partner_page, name="partner"),
]
