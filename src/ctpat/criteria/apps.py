from django.apps import AppConfig


class CriteriaConfig(AppConfig):
    name = "ctpat.criteria"
    label = "criteria"
    verbose_name = "Minimum Security Criteria"
