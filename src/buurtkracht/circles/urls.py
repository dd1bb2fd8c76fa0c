from django.urls import path

from buurtkracht.circles import views

app_name = "circles"

urlpatterns = [
    path("", views.circle_list, name="list"),
    path("nieuw/", views.circle_start, name="start"),
    path("verslagen/", views.public_list, name="public-list"),
    path("verslagen/<str:public_id>/", views.public_summary, name="public"),
    path("<int:pk>/", views.circle_detail, name="detail"),
    path("<int:pk>/collega/", views.member_add, name="member-add"),
    path("<int:pk>/uitnodigen/", views.member_invite, name="member-invite"),
    path("<int:pk>/leden/<int:member_pk>/weg/", views.member_remove, name="member-remove"),
    path("<int:pk>/bijeenkomsten/nieuw/", views.meeting_add, name="meeting-add"),
    path("<int:pk>/bijeenkomsten/<int:meeting_pk>/", views.meeting_edit, name="meeting-edit"),
    path("<int:pk>/leermomenten/nieuw/", views.moment_add, name="moment-add"),
    path("<int:pk>/acties/nieuw/", views.action_add, name="action-add"),
    path("<int:pk>/acties/<int:circle_action_pk>/klaar/", views.action_done, name="action-done"),
    path("<int:pk>/documenten/nieuw/", views.document_add, name="document-add"),
    path(
        "<int:pk>/documenten/<int:file_pk>/",
        views.document_download,
        name="document-download",
    ),
    path("<int:pk>/samenvatting/", views.summary, name="summary"),
]
