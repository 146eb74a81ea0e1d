from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ctpat.notifications"
    label = "notifications"
    verbose_name = "Notifications"
