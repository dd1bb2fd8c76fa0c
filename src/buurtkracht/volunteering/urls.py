from django.urls import path

from buurtkracht.volunteering import views

app_name = "volunteering"

urlpatterns = [
    path("huishouden/<int:pk>/", views.household_requests_view, name="household"),
    path("huishouden/<int:pk>/nieuw/", views.request_new, name="new"),
    path(
        "huishouden/<int:pk>/<int:request_pk>/beeindigen/",
        views.household_request_end,
        name="household-end",
    ),
    path("hulpvragen/", views.queue, name="queue"),
    path("hulpvragen/<int:pk>/", views.coordinator_request, name="request"),
    path("hulpvragen/<int:pk>/koppelen/", views.match, name="match"),
    path("hulpvragen/<int:pk>/beeindigen/", views.end, name="end"),
    path("mijn/", views.mine, name="mine"),
    path("mijn/<int:pk>/", views.mine_detail, name="mine-detail"),
]
