from django.urls import path

from buurtkracht.socialmap import views

app_name = "socialmap"

# Entries have UUIDs; the id is taken as text and checked in the view (a malformed id is a
# 404 there), so an anonymous visitor is sent to the login page for every address.

urlpatterns = [
    path("", views.search_page, name="search"),
    path("nieuw/", views.new, name="new"),
    path("voorstellen/", views.proposals, name="proposals"),
    path("uitwisselen/", views.exchange, name="exchange"),
    path("uitwisselen/hsds.json", views.export, name="export"),
    path("<str:pk>/", views.detail, name="detail"),
    path("<str:pk>/wijzigen/", views.edit, name="edit"),
    path("<str:pk>/gecontroleerd/", views.verify, name="verify"),
    path("<str:pk>/beoordelen/", views.moderate, name="moderate"),
]
