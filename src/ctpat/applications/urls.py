from django.urls import path

from ctpat.applications import views

app_name = "applications"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("eligibility/", views.eligibility, name="eligibility"),
]
