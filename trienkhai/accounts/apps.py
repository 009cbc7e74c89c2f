from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trienkhai.accounts"
    label = "accounts"
    verbose_name = "Accounts"
