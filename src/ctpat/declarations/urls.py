from django.urls import path

from ctpat.declarations import views

app_name = "declarations"
urlpatterns = [
    path("", views.analysis, name="analysis"),
    path("models/", views.models, name="models"),
    path("models/<int:version_id>/activate/", views.model_activate, name="model_activate"),
    path("upload/", views.upload, name="upload"),
    path("upload/declarations/", views.upload_declarations, name="upload_declarations"),
    path("upload/outcomes/", views.upload_outcomes, name="upload_outcomes"),
    path("declarations/<str:declaration_id>/", views.declaration_detail, name="detail"),
    path("mine/", views.mine, name="mine"),
]
