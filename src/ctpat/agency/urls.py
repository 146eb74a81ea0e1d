from django.urls import path

from ctpat.agency import views

app_name = "agency"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("applications/<int:partner_id>/", views.application_detail, name="application"),
    path("applications/<int:partner_id>/start-review/", views.start_review, name="start_review"),
    path("applications/<int:partner_id>/return/", views.return_to_partner, name="return"),
    path(
        "applications/<int:partner_id>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence"
    ),
]
