from django.urls import path

from ctpat.validation import dashboard, partner_views, views, worksheet_views

app_name = "validation"
urlpatterns = [
    # Agency.
    path("", views.validation_list, name="list"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("partners/<int:partner_id>/plan/", views.plan, name="plan"),
    path("<int:validation_id>/", views.detail, name="detail"),
    path("<int:validation_id>/plan/", views.plan_edit, name="plan_edit"),
    path("<int:validation_id>/sites/add/", views.site_add, name="site_add"),
    path("<int:validation_id>/sites/<int:site_id>/", views.site_edit, name="site_edit"),
    path("<int:validation_id>/sites/<int:site_id>/delete/", views.site_delete, name="site_delete"),
    path("<int:validation_id>/sites/<int:site_id>/worksheet/", worksheet_views.worksheet, name="worksheet"),
    path("<int:validation_id>/company-findings/", worksheet_views.company_findings, name="company_findings"),
    path("<int:validation_id>/findings/", worksheet_views.finding_save, name="finding_save"),
    path(
        "<int:validation_id>/findings/<int:finding_id>/evidence/",
        worksheet_views.finding_evidence_upload,
        name="finding_evidence",
    ),
    path("<int:validation_id>/report/send/", views.report_send, name="report_send"),
    path("<int:validation_id>/decision/", views.propose, name="propose"),
    path("<int:validation_id>/decision/<int:proposal_id>/approve/", views.approve, name="approve"),
    path("<int:validation_id>/decision/<int:proposal_id>/return/", views.return_proposal, name="return"),
    # Agency and the partner (each through access).
    path("<int:validation_id>/report.pdf", views.report_pdf, name="report_pdf"),
    path(
        "<int:validation_id>/evidence/<int:evidence_id>/", worksheet_views.evidence_download, name="evidence"
    ),
    # The partner.
    path("reports/", partner_views.partner_list, name="partner_list"),
    path("reports/<int:validation_id>/", partner_views.partner_detail, name="partner_detail"),
    path("reports/<int:validation_id>/respond/", partner_views.partner_respond, name="partner_respond"),
]
