from django.urls import path

from buurtkracht.signals import monitor_views, views

app_name = "signals"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("meldingen/<int:pk>/", views.report_detail, name="report"),
    path("meldingen/<int:pk>/<str:what>/", views.report_act, name="report-act"),
    path("beoordelen/", views.review_list, name="review"),
    path("beoordelen/<int:pk>/", views.review_decide, name="review-decide"),
    path("monitor/", monitor_views.monitor, name="monitor"),
    path("monitor/export/<str:fmt>/", monitor_views.monitor_export, name="monitor-export"),
    path("aanleveren/", views.deliver, name="deliver"),
    path("terugkoppeling/", views.feedback_download, name="feedback"),
    path("aanleveren/voortgang/<str:upload_id>/", views.delivery_progress, name="progress"),
    path("leveringen/<int:pk>/", views.delivery_detail, name="delivery"),
    path("leveringen/<int:pk>/regels/<int:row_pk>/", views.row_correct, name="row-correct"),
]
