from django.urls import path

from ctpat.review import views

app_name = "review"
urlpatterns = [
    path("", views.queues, name="queues"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("portfolio/<int:specialist_id>/", views.portfolio, name="portfolio_of"),
    path("team/", views.team, name="team"),
    path("applications/<int:partner_id>/", views.file, name="file"),
    path("applications/<int:partner_id>/assign/", views.assign, name="assign"),
    path("applications/<int:partner_id>/start-review/", views.start_review, name="start_review"),
    path("applications/<int:partner_id>/vetting/", views.vetting, name="vetting"),
    path("applications/<int:partner_id>/vetting/run-screening/", views.vetting_screen, name="vetting_screen"),
    path(
        "applications/<int:partner_id>/vetting/checks/<str:kind>/",
        views.vetting_record,
        name="vetting_record",
    ),
    path(
        "applications/<int:partner_id>/vetting/records/<int:check_id>/evidence/",
        views.vetting_evidence,
        name="vetting_evidence",
    ),
    path("applications/<int:partner_id>/risk/", views.risk, name="risk"),
    path("applications/<int:partner_id>/risk/steps/<str:step>/", views.risk_step, name="risk_step"),
    path("applications/<int:partner_id>/risk/score/", views.risk_record, name="risk_record"),
    path("applications/<int:partner_id>/decision/", views.decision, name="decision"),
    path("applications/<int:partner_id>/decision/recommend/", views.recommend, name="recommend"),
    path("applications/<int:partner_id>/decision/decide/", views.decide, name="decide"),
    path("applications/<int:partner_id>/standing/", views.standing, name="standing"),
    path("certificates/<int:certificate_id>/", views.certificate_download, name="certificate"),
    path("standing/", views.my_standing, name="my_standing"),
]
