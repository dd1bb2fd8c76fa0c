from django.urls import path

from buurtkracht.casework import views

app_name = "casework"

urlpatterns = [
    path("<int:pk>/plan/", views.plan_page, name="plan"),
    path("<int:pk>/plan/acties/<int:action_pk>/status/", views.action_status, name="action-status"),
    path("<int:pk>/contact/", views.contact_add, name="contact-add"),
]
