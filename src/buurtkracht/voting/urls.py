from django.urls import path

from buurtkracht.voting import views

app_name = "voting"

# Public pages first (login_not_required in the views), then the staff pages under beheer/.
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.round_page, name="round"),
    path("<int:pk>/code/", views.vote_code, name="code"),
    path("<int:pk>/stembiljet/", views.ballot, name="ballot"),
    path("<int:pk>/geteld/", views.done, name="done"),
    path("<int:pk>/uitslag/", views.result, name="result"),
    path("beheer/", views.manage, name="manage"),
    path("beheer/nieuw/", views.round_new, name="round-new"),
    path("beheer/<int:pk>/", views.round_manage, name="round-manage"),
    path("beheer/<int:pk>/plan/", views.proposal_new, name="proposal-new"),
    path(
        "beheer/<int:pk>/plan/<int:proposal_pk>/",
        views.proposal_follow_up,
        name="proposal-follow-up",
    ),
    path("beheer/<int:pk>/brieven/", views.letters, name="letters"),
    path(
        "beheer/<int:pk>/brieven/<int:download_pk>/",
        views.letters_download,
        name="letters-download",
    ),
    path("beheer/<int:pk>/blokkeren/", views.block, name="block"),
    path("beheer/<int:pk>/papier/", views.paper, name="paper"),
    path("beheer/<int:pk>/volgende-stap/", views.advance, name="advance"),
    path("beheer/<int:pk>/kwaliteit/", views.quality, name="quality"),
]
