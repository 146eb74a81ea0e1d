from django.contrib import admin
from django.urls import include, path

from ctpat import views
from ctpat.api.routes import api

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("ctpat.accounts.urls")),
    path("criteria/", include("ctpat.criteria.urls")),
    path("application/", include("ctpat.applications.urls")),
    path("agency/", include("ctpat.agency.urls")),
    path("business-partners/", include("ctpat.business_partners.urls")),
    path("targeting/", include("ctpat.declarations.urls")),
    path("deadlines/", include("ctpat.deadlines.urls")),
    path("messages/", include("ctpat.notifications.urls")),
    path("validation/", include("ctpat.validation.urls")),
    path("review/", include("ctpat.review.urls")),
    path("membership/", include("ctpat.membership.urls")),
    path("incidents/", include("ctpat.incidents.urls")),
    path("audits/", include("ctpat.audits.urls")),
    path("compliance/", include("ctpat.compliance.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
