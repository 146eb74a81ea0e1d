from django.apps import AppConfig


class ValidationConfig(AppConfig):
    name = "ctpat.validation"
    label = "validation"
    verbose_name = "Validations: planning, onsite visits, findings, reports and decisions"
