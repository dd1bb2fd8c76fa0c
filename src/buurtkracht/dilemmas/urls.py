from django.urls import path

from buurtkracht.dilemmas import views

app_name = "dilemmas"

urlpatterns = [
    path("", views.dilemma_list, name="list"),
    path("nieuw/", views.dilemma_new, name="new"),
    path("<int:pk>/", views.dilemma_detail, name="detail"),
    path("intervisie/", views.meeting_list, name="meetings"),
    path("intervisie/<int:pk>/", views.meeting_detail, name="meeting"),
    path("intervisie/onderwerp/<int:pk>/", views.lessons, name="lessons"),
    path("themas/", views.themes, name="themes"),
]
