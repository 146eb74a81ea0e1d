from django.urls import path

from ctpat.criteria import views

app_name = "criteria"
urlpatterns = [
    path("", views.criteria_page, name="list"),
]
