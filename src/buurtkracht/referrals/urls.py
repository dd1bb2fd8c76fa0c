from django.urls import path

from buurtkracht.referrals import views

app_name = "referrals"

urlpatterns = [
    path("<int:pk>/verwijzingen/", views.referral_list, name="list"),
    path("<int:pk>/verwijzingen/nieuw/", views.referral_new, name="new"),
    path("<int:pk>/verwijzingen/<int:referral_pk>/", views.referral_detail, name="detail"),
]
