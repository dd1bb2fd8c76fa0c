"""The worker's own calendar feed: its settings page and the feed a phone fetches."""

from django.urls import path

from buurtkracht.casework import appointment_views

app_name = "calendar"

urlpatterns = [
    path("", appointment_views.feed_settings, name="settings"),
    # The token is secrets.token_urlsafe: letters, digits, - and _ (a slug).
    path("<slug:token>.ics", appointment_views.feed, name="feed"),
]
