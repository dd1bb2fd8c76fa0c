from django.urls import path

from buurtkracht.outcomes import report_views, views

app_name = "outcomes"

urlpatterns = [
    path("rapportage/", report_views.report, name="report"),
    path("rapportage/export/<str:fmt>/", report_views.report_export, name="report-export"),
    path("<int:pk>/voortgang/", views.progress, name="progress"),
    path(
        "<int:pk>/voortgang/nieuw/<slug:instrument_code>/",
        views.assessment_new,
        name="assessment-new",
    ),
]
