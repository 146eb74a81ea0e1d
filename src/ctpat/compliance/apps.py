from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "ctpat.compliance"
    label = "compliance"
    verbose_name = "Compliance: cases, warning letters, corrective action, sanctions and appeals"

    def ready(self) -> None:
        from ctpat.compliance import deadlines  # noqa: F401 - registers the clock sources
