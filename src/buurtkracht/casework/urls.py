from django.urls import path

from buurtkracht.casework import (
    appointment_views,
    goal_views,
    intake_views,
    message_views,
    views,
)

app_name = "casework"

urlpatterns = [
    path("<int:pk>/plan/", views.plan_page, name="plan"),
    path("<int:pk>/plan/afdrukken/", views.plan_print, name="plan-print"),
    path("<int:pk>/plan/acties/<int:action_pk>/status/", views.action_status, name="action-status"),
    path("<int:pk>/plan/acties/<int:action_pk>/", goal_views.action_page, name="action"),
    path("<int:pk>/plan/doelen/<int:goal_pk>/", goal_views.goal_page, name="goal"),
    path("<int:pk>/afspraken/nieuw/", appointment_views.appointment_new, name="appointment-new"),
    path(
        "<int:pk>/afspraken/<int:appointment_pk>/",
        appointment_views.appointment_page,
        name="appointment",
    ),
    path("<int:pk>/samenvoegen/", views.household_merge_view, name="merge"),
    path("<int:pk>/berichten/", message_views.messages_page, name="messages"),
    path("<int:pk>/keukentafel/", views.conversations, name="conversations"),
    path("aanmelden/", intake_views.intake_new, name="intake-new"),
    path("aanmeldingen/", intake_views.intake_list, name="intakes"),
    path("overdracht/", intake_views.handover_view, name="handover"),
    path("aanmeldingen/<int:pk>/adres/", intake_views.intake_address, name="intake-address"),
    path("aanmeldingen/<int:pk>/regisseur/", intake_views.intake_assign_view, name="intake-assign"),
    path(
        "aanmeldingen/<int:pk>/bij-regisseur/",
        intake_views.intake_hand_to_lead_view,
        name="intake-hand-to-lead",
    ),
    path("aanmeldingen/<int:pk>/sluiten/", intake_views.intake_close_view, name="intake-close"),
]
