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
    path("messages/", include("ctpat.notifications.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
