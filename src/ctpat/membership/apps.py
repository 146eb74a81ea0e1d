from django.apps import AppConfig


class MembershipConfig(AppConfig):
    name = "ctpat.membership"
    label = "membership"
    verbose_name = "Keeping membership"

    def ready(self) -> None:
        # Register the annual review, full revalidation and improvement action clock sources.
        from ctpat.membership import deadlines  # noqa: F401
