from django.apps import AppConfig


class DeclarationsConfig(AppConfig):
    name = "ctpat.declarations"
    label = "declarations"
    verbose_name = "Declaration targeting in the portal"
