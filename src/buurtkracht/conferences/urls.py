from django.urls import path

from buurtkracht.conferences import views

app_name = "conferences"

urlpatterns = [
    path("", views.conference_list, name="list"),
    path("nieuw/", views.conference_new, name="new"),
    path("<int:pk>/", views.conference_detail, name="detail"),
    path("<int:pk>/casus/nieuw/", views.case_new, name="case-new"),
    path("<int:pk>/casus/<int:case_pk>/", views.case_page, name="case"),
    path("precedenten/", views.precedent_list, name="precedents"),
    path("precedenten/<int:pk>/", views.precedent_detail, name="precedent"),
]
