from django.urls import path

from buurtkracht.outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("<int:pk>/voortgang/", views.progress, name="progress"),
    path(
        "<int:pk>/voortgang/nieuw/<slug:instrument_code>/",
        views.assessment_new,
        name="assessment-new",
    ),
]
