from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "ctpat.review"
    label = "review"
    verbose_name = "Review: work queues, vetting, risk assessment, decisions and certificates"
