from django.urls import path

from ctpat.membership import practice_views, views

app_name = "membership"
urlpatterns = [
    path("", views.home, name="home"),
    # The agency.
    path("agency/", views.agency, name="agency"),
    # A partner's membership: the annual window and reviews, the full revalidation.
    path("partners/<int:partner_id>/", views.partner_page, name="partner"),
    path("partners/<int:partner_id>/reviews/open/", views.review_open, name="review_open"),
    # One annual review.
    path("reviews/<int:review_id>/", views.review_page, name="review"),
    path("reviews/<int:review_id>/answers/<int:answer_id>/", views.review_answer, name="review_answer"),
    path(
        "reviews/<int:review_id>/answers/<int:answer_id>/evidence/",
        views.review_evidence_upload,
        name="review_evidence_upload",
    ),
    path(
        "reviews/<int:review_id>/evidence/<int:evidence_id>/", views.review_evidence, name="review_evidence"
    ),
    path(
        "reviews/<int:review_id>/evidence/<int:evidence_id>/remove/",
        views.review_evidence_remove,
        name="review_evidence_remove",
    ),
    path("reviews/<int:review_id>/risk-assessment/", views.review_risk_assessment, name="review_risk"),
    path("reviews/<int:review_id>/submit/", views.review_submit, name="review_submit"),
    path("reviews/<int:review_id>/accept/", views.review_accept, name="review_accept"),
    path("reviews/<int:review_id>/return/", views.review_return, name="review_return"),
    # Best practices.
    path("partners/<int:partner_id>/best-practices/", practice_views.practices, name="practices"),
    path("partners/<int:partner_id>/assessments/new/", practice_views.assessment_new, name="assessment_new"),
    path(
        "partners/<int:partner_id>/assessments/<int:assessment_id>/",
        practice_views.assessment,
        name="assessment",
    ),
    path(
        "partners/<int:partner_id>/assessments/<int:assessment_id>/findings/<int:finding_id>/",
        practice_views.finding_save,
        name="finding_save",
    ),
    path("partners/<int:partner_id>/training/new/", practice_views.training_new, name="training_new"),
    path(
        "partners/<int:partner_id>/training/<int:record_id>/evidence/",
        practice_views.training_evidence,
        name="training_evidence",
    ),
    path("partners/<int:partner_id>/actions/", practice_views.actions, name="actions"),
    path(
        "partners/<int:partner_id>/actions/<int:action_id>/status/",
        practice_views.action_status,
        name="action_status",
    ),
]
