from django.urls import path

from buurtkracht.initiatives import views

app_name = "initiatives"

# Staff pages take the id as text and check it in the view (a malformed id is a 404
# there), so an anonymous visitor is sent to the login page for every address. The
# public pages (propose, follow by secret link, results) need no account.

urlpatterns = [
    path("", views.staff_list, name="list"),
    path("voorstellen/", views.propose, name="propose"),
    path("resultaten/", views.results, name="results"),
    path("budgetten/", views.budgets, name="budgets"),
    path("budgetten/export.<str:fmt>", views.budgets_export, name="budgets-export"),
    path("volg/<str:token>/", views.follow, name="follow"),
    path("volg/<str:token>/wijzigen/", views.edit, name="edit"),
    path("volg/<str:token>/intrekken/", views.withdraw, name="withdraw"),
    path("volg/<str:token>/verslag/", views.report, name="report"),
    path("<str:pk>/", views.detail, name="detail"),
    path("<str:pk>/ondersteuning/", views.support, name="support"),
    path("<str:pk>/budget/", views.assign_budget, name="assign-budget"),
    path("<str:pk>/besluit/", views.decide, name="decide"),
    path("<str:pk>/financiering/", views.funding, name="funding"),
    path("<str:pk>/betaald/", views.paid, name="paid"),
    path("<str:pk>/verslag/", views.staff_report, name="staff-report"),
]
