from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "ctpat.incidents"
    label = "incidents"
    verbose_name = "Incidents: reports, triage, referrals and post-incident analyses"

    def ready(self) -> None:
        from ctpat.incidents import deadlines  # noqa: F401 - registers the clock source
