from django.urls import path

from buurtkracht.workspace import views

app_name = "workspace"

urlpatterns = [
    path("", views.my_work, name="my-work"),
]
