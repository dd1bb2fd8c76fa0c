from django.urls import path

from buurtkracht.network import views

app_name = "network"

urlpatterns = [
    path("<int:pk>/netwerk/", views.network_map, name="map"),
    path("<int:pk>/netwerk/afdrukken/", views.network_print, name="print"),
    path("<int:pk>/netwerk/vergelijken/", views.network_compare, name="compare"),
    path("<int:pk>/netwerk/nieuw/", views.tie_new, name="tie-new"),
    path("<int:pk>/netwerk/versie/", views.version_new, name="version-new"),
    path("<int:pk>/netwerk/<int:tie_pk>/", views.tie_edit, name="tie-edit"),
    path("<int:pk>/netwerk/<int:tie_pk>/beeindigen/", views.tie_end_view, name="tie-end"),
    path(
        "<int:pk>/netwerk/<int:tie_pk>/niet-benaderen/",
        views.tie_do_not_contact,
        name="tie-do-not-contact",
    ),
]
