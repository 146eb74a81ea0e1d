from django.urls import path

from ctpat.compliance import views

app_name = "compliance"
urlpatterns = [
    # The partner's pages.
    path("", views.mine, name="mine"),
    path("letters/<int:letter_id>/", views.letter, name="letter"),
    path("letters/<int:letter_id>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("letters/<int:letter_id>/plan/", views.plan, name="plan"),
    path("objectives/<int:objective_id>/progress/", views.objective_progress, name="objective_progress"),
    path("decisions/<int:event_id>/appeal/", views.appeal_new, name="appeal_new"),
    path("consent/", views.consent, name="consent"),
    path("withdraw/", views.withdraw, name="withdraw"),
    # Appeals: the partner's and the agency's.
    path("appeals/<int:appeal_id>/", views.appeal, name="appeal"),
    path("appeals/<int:appeal_id>/decide/", views.appeal_decide, name="appeal_decide"),
    # The agency's pages.
    path("agency/", views.worklist, name="worklist"),
    path("agency/partners/<int:partner_id>/", views.partner_file, name="partner"),
    path("agency/partners/<int:partner_id>/cases/", views.case_open, name="case_open"),
    path("agency/partners/<int:partner_id>/remove/", views.remove, name="remove"),
    path("agency/partners/<int:partner_id>/reinstate/", views.reinstate, name="reinstate"),
    path("agency/cases/<int:case_id>/", views.case, name="case"),
    path("agency/cases/<int:case_id>/letters/", views.letter_issue, name="letter_issue"),
    path("agency/cases/<int:case_id>/recommend/", views.recommend, name="recommend"),
    path("agency/cases/<int:case_id>/close/", views.case_close, name="case_close"),
    path("agency/plans/<int:plan_id>/decide/", views.plan_decide, name="plan_decide"),
    path(
        "agency/recommendations/<int:recommendation_id>/decide/",
        views.recommendation_decide,
        name="recommendation_decide",
    ),
]
