from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ctpat.demo"
    label = "demo"
    verbose_name = "Demo data"
