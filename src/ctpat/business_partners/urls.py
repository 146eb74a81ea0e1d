from django.urls import path

from ctpat.business_partners import views

app_name = "business_partners"
urlpatterns = [
    path("", views.register, name="register"),
    path("add/", views.add, name="add"),
    path("import/", views.import_register, name="import"),
    path("<int:business_partner_id>/", views.detail, name="detail"),
    path("review/", views.queue, name="queue"),
    path("hits/<int:hit_id>/disposition/", views.dispose, name="dispose"),
    path("lists/", views.lists, name="lists"),
    path("applicants/<int:partner_id>/screening/", views.applicant_screening, name="applicant_screening"),
]
