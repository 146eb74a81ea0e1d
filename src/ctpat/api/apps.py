from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ctpat.api"
    label = "api"
    verbose_name = "REST API"
