from django.urls import path

from buurtkracht.workspace import household, team, views

app_name = "workspace"

urlpatterns = [
    path("", views.my_work, name="my-work"),
    path("huishoudens/<int:pk>/", household.household_detail, name="household"),
    path("huishoudens/<int:pk>/contact/", household.contact_add, name="contact-add"),
    path("team/", team.team_week, name="team-week"),
    path("team/afwezigheid/", team.absence_add, name="absence-add"),
    path("team/afwezigheid/<int:pk>/einde/", team.absence_stop, name="absence-end"),
    path("team/afwezigheid/<int:pk>/overdragen/", team.absence_cover, name="absence-cover"),
]
