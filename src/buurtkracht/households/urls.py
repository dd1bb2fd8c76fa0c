from django.urls import path

from buurtkracht.households import views

app_name = "households"

urlpatterns = [
    path("zoeken/", views.household_search, name="search"),
    path("<int:pk>/toestemming/", views.household_consents, name="consents"),
    path(
        "<int:pk>/toestemming/<int:consent_pk>/intrekken/",
        views.consent_withdraw_view,
        name="consent-withdraw",
    ),
    path("noodtoegang/aanvragen/<str:token>/", views.emergency_access, name="emergency-access"),
    path("noodtoegang/", views.emergency_review_list, name="emergency-review-list"),
    path("noodtoegang/<int:pk>/beoordelen/", views.emergency_review, name="emergency-review"),
]
