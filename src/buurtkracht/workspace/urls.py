from django.urls import path

from buurtkracht.workspace import household, search, views

app_name = "workspace"

urlpatterns = [
    path("", views.my_work, name="my-work"),
    path("zoeken/", search.search, name="search"),
    path("huishoudens/<int:pk>/", household.household_detail, name="household"),
    path("huishoudens/<int:pk>/contact/", household.contact_add, name="contact-add"),
]
