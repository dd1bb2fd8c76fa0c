from django.urls import path

from buurtkracht.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("alles-gelezen/", views.notification_all_read, name="all-read"),
    path("instellingen/", views.preferences, name="preferences"),
    path("demo-post/", views.demo_mailbox, name="demo-mail"),
    path("<int:pk>/openen/", views.notification_open, name="open"),
    path("<int:pk>/gelezen/", views.notification_mark_read, name="read"),
]
