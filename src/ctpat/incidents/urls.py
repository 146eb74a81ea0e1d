from django.urls import path

from ctpat.incidents import views

app_name = "incidents"
urlpatterns = [
    # Partners and agency staff (each through access).
    path("", views.incident_list, name="list"),
    path("<int:incident_id>/", views.incident_detail, name="detail"),
    path("<int:incident_id>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    # The partner.
    path("report/", views.incident_report, name="report"),
    path("<int:incident_id>/investigation/", views.investigation_update, name="investigation"),
    path("<int:incident_id>/analysis/", views.analysis_submit, name="analysis"),
    # The agency.
    path("record/<int:partner_id>/", views.incident_record, name="record"),
    path("<int:incident_id>/triage/", views.triage, name="triage"),
    path("<int:incident_id>/refer/", views.refer, name="refer"),
    path("<int:incident_id>/request-analysis/", views.request_analysis, name="request_analysis"),
    path("<int:incident_id>/noncompliance/", views.escalate, name="escalate"),
    path("<int:incident_id>/close/", views.close, name="close"),
    # Liaisons of other government agencies.
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/<int:referral_id>/", views.referral_detail, name="referral"),
    path(
        "referrals/<int:referral_id>/evidence/<int:evidence_id>/",
        views.referral_evidence,
        name="referral_evidence",
    ),
]
