from django.urls import path

from buurtkracht.documents import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/documenten/nieuw/", views.document_new, name="new"),
    path("<int:pk>/documenten/<int:document_pk>/", views.document_download, name="download"),
    path(
        "<int:pk>/documenten/<int:document_pk>/verwijderen/",
        views.document_delete,
        name="remove",
    ),
]
