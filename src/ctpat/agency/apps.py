from django.apps import AppConfig


class AgencyConfig(AppConfig):
    name = "ctpat.agency"
    label = "agency"
    verbose_name = "Agency work"
