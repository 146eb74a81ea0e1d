from django.urls import path

from ctpat.applications import views

app_name = "applications"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("eligibility/", views.eligibility, name="eligibility"),
    path("eligibility/entity-type/", views.entity_type, name="entity_type"),
    path("company/", views.company, name="company"),
    path("contacts/", views.contacts, name="contacts"),
    path("contacts/add/", views.child_add, {"kind": "contact"}, name="contact_add"),
    path("contacts/<int:child_id>/", views.child_edit, {"kind": "contact"}, name="contact_edit"),
    path("contacts/<int:child_id>/remove/", views.child_remove, {"kind": "contact"}, name="contact_remove"),
    path("identifiers/", views.identifiers, name="identifiers"),
    path("business/", views.business, name="business"),
    path("business/modes/", views.transport_modes, name="transport_modes"),
    path("business/origins/add/", views.child_add, {"kind": "origin"}, name="origin_add"),
    path("business/origins/<int:child_id>/", views.child_edit, {"kind": "origin"}, name="origin_edit"),
    path(
        "business/origins/<int:child_id>/remove/",
        views.child_remove,
        {"kind": "origin"},
        name="origin_remove",
    ),
    path("business/facilities/add/", views.child_add, {"kind": "facility"}, name="facility_add"),
    path("business/facilities/<int:child_id>/", views.child_edit, {"kind": "facility"}, name="facility_edit"),
    path(
        "business/facilities/<int:child_id>/remove/",
        views.child_remove,
        {"kind": "facility"},
        name="facility_remove",
    ),
    path("security-profile/", views.profile, name="profile"),
    path("security-profile/<int:number>/", views.category, name="category"),
    path("answers/<int:answer_id>/", views.answer_autosave, name="answer_save"),
    path("answers/<int:answer_id>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:evidence_id>/remove/", views.evidence_delete, name="evidence_remove"),
    path("review/", views.review, name="review"),
    path("review/sign/", views.sign, name="sign"),
    path("review/submit/", views.submit, name="submit"),
]
