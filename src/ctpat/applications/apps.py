from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "ctpat.applications"
    label = "applications"
    verbose_name = "Partner applications and security profiles"
