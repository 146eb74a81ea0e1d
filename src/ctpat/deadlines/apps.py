from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "ctpat.deadlines"
    label = "deadlines"
    verbose_name = "Deadlines and reminders"

    def ready(self) -> None:
        # The clock sources of the apps that existed before the registry; later apps register
        # theirs in their own AppConfig.ready().
        from ctpat.deadlines import sources  # noqa: F401
