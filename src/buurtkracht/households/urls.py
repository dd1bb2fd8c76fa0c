from django.urls import path

from buurtkracht.households import (
    brp_views,
    composition_views,
    register_views,
    rights_views,
    views,
)

app_name = "households"

urlpatterns = [
    path("zoeken/", views.household_search, name="search"),
    path("register/", register_views.register_extracts, name="register-extracts"),
    path("register/<int:pk>/", register_views.register_extract, name="register-extract"),
    path("<int:pk>/toestemming/", views.household_consents, name="consents"),
    path(
        "<int:pk>/toestemming/<int:consent_pk>/intrekken/",
        views.consent_withdraw_view,
        name="consent-withdraw",
    ),
    path("<int:pk>/samenstelling/", composition_views.composition, name="composition"),
    path(
        "<int:pk>/samenstelling/toevoegen/",
        composition_views.composition_add_found,
        name="composition-add-found",
    ),
    path(
        "<int:pk>/samenstelling/nieuw/",
        composition_views.composition_add_new,
        name="composition-add-new",
    ),
    path(
        "<int:pk>/samenstelling/geboorte/",
        composition_views.composition_birth,
        name="composition-birth",
    ),
    path(
        "<int:pk>/samenstelling/brp/zoeken/",
        brp_views.composition_brp_search,
        name="composition-brp-search",
    ),
    path(
        "<int:pk>/samenstelling/brp/gebruiken/",
        brp_views.composition_brp_use,
        name="composition-brp-use",
    ),
    path(
        "<int:pk>/samenstelling/brp/vergelijken/",
        brp_views.composition_brp_compare,
        name="composition-brp-compare",
    ),
    path(
        "<int:pk>/samenstelling/brp/overnemen/",
        brp_views.composition_brp_take,
        name="composition-brp-take",
    ),
    path(
        "<int:pk>/samenstelling/<int:membership_pk>/",
        composition_views.composition_member,
        name="composition-member",
    ),
    path("noodtoegang/aanvragen/<str:token>/", views.emergency_access, name="emergency-access"),
    path(
        "<int:pk>/verzoeken/<int:request_pk>/",
        rights_views.data_request_on_file,
        name="data-request",
    ),
    path("noodtoegang/", views.emergency_review_list, name="emergency-review-list"),
    path("noodtoegang/<int:pk>/beoordelen/", views.emergency_review, name="emergency-review"),
]
