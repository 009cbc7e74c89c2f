from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trienkhai.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from trienkhai.accounts import api
        from trienkhai.core import registry

        registry.add_api(api)
