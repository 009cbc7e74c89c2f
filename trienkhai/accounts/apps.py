from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trienkhai.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from trienkhai.accounts import api, changelog
        from trienkhai.core import registry

        registry.add_api(api)
        registry.add_log_words(changelog)
