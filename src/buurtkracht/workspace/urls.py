from django.urls import path

from buurtkracht.workspace import household, views

app_name = "workspace"

urlpatterns = [
    path("", views.my_work, name="my-work"),
    path("huishoudens/<int:pk>/", household.household_detail, name="household"),
    path("huishoudens/<int:pk>/contact/", household.contact_add, name="contact-add"),
]
