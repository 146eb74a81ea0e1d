from django.urls import path

from ctpat.agency import views

app_name = "agency"
urlpatterns = [
    path("", views.inbox, name="inbox"),
]
urlpatterns += [path("applications/<int:partner_id>/", views.application_detail, name="application")]
