from django.urls import path

from ctpat.deadlines import views

app_name = "deadlines"
urlpatterns = [
    path("", views.program_clocks, name="program"),
    path("mine/", views.my_clocks, name="mine"),
    path("partners/<int:partner_id>/", views.partner_clocks, name="partner"),
]
