from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "ctpat.audits"
    label = "audits"
    verbose_name = "Audit cooperation: document and access requests"

    def ready(self) -> None:
        from ctpat.audits import deadlines  # noqa: F401 - registers the clock source
