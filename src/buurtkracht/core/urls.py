from django.urls import path

from buurtkracht.core import views

app_name = "core"

urlpatterns = [
    path("health/", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("taken/<int:pk>/", views.job_detail, name="job"),
    path("taken/<int:pk>/status/", views.job_status_json, name="job-status"),
]
