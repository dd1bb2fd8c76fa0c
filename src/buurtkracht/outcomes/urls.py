from django.urls import path

from buurtkracht.outcomes import report_views, story_views, views

app_name = "outcomes"

urlpatterns = [
    path("rapportage/", report_views.report, name="report"),
    path("rapportage/export/<str:fmt>/", report_views.report_export, name="report-export"),
    path("verhalen/", story_views.team_stories, name="stories"),
    path(
        "verhalen/<int:story_pk>/verwijderen/",
        story_views.team_story_delete,
        name="story-delete",
    ),
    path("<int:pk>/voortgang/", views.progress, name="progress"),
    path("<int:pk>/verhaal/nieuw/", story_views.household_story_new, name="story-new"),
    path(
        "<int:pk>/verhaal/<int:story_pk>/verwijderen/",
        story_views.household_story_delete,
        name="household-story-delete",
    ),
    path(
        "<int:pk>/voortgang/zelf/<slug:instrument_code>/",
        views.self_assessment,
        name="self-assessment",
    ),
    path(
        "<int:pk>/voortgang/nieuw/<slug:instrument_code>/",
        views.assessment_new,
        name="assessment-new",
    ),
]
