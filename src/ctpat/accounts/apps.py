from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ctpat.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
