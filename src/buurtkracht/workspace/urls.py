from django.urls import path

from buurtkracht.workspace import household, involved, mandates_api, my_consent, search, team, views

app_name = "workspace"

urlpatterns = [
    path("", views.my_work, name="my-work"),
    path("zoeken/", search.search, name="search"),
    # The partner's API of decisions under its mandates (token, like the signals API).
    path(
        "api/v1/mandaatbesluiten/",
        mandates_api.mandate_decisions,
        name="mandate-decisions-api",
    ),
    path("huishoudens/<int:pk>/", household.household_detail, name="household"),
    path("huishoudens/<int:pk>/contact/", household.contact_add, name="contact-add"),
    path(
        "huishoudens/<int:pk>/medewerkers/",
        involved.co_worker_add_view,
        name="co-worker-add",
    ),
    path(
        "huishoudens/<int:pk>/medewerkers/<int:involvement_pk>/beeindigen/",
        involved.co_worker_end_view,
        name="co-worker-end",
    ),
    path("huishoudens/<int:pk>/regie/", involved.lead_handover_view, name="lead-handover"),
    path(
        "huishoudens/<int:pk>/professionals/nieuw/",
        involved.outside_professional_add_view,
        name="professional-add",
    ),
    path(
        "huishoudens/<int:pk>/professionals/<int:professional_pk>/beeindigen/",
        involved.outside_professional_end_view,
        name="professional-end",
    ),
    path(
        "huishoudens/<int:pk>/professionals/<int:professional_pk>/delen/",
        involved.outside_professional_sharing_view,
        name="professional-sharing",
    ),
    path("huishoudens/<int:pk>/mijn-toestemming/", my_consent.my_consent, name="my-consent"),
    path(
        "huishoudens/<int:pk>/mijn-toestemming/<int:consent_pk>/intrekken/",
        my_consent.my_consent_withdraw,
        name="my-consent-withdraw",
    ),
    path(
        "huishoudens/<int:pk>/mijn-toestemming/<int:consent_pk>/tot/",
        my_consent.my_consent_limit,
        name="my-consent-limit",
    ),
    path("team/", team.team_week, name="team-week"),
    path("team/afwezigheid/", team.absence_add, name="absence-add"),
    path("team/afwezigheid/<int:pk>/einde/", team.absence_stop, name="absence-end"),
    path("team/afwezigheid/<int:pk>/overdragen/", team.absence_cover, name="absence-cover"),
]
