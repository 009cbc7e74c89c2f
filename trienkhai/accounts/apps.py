from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trienkhai.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from trienkhai.accounts import api, changelog
        from trienkhai.accounts.middleware import checked_at_sign_in
        from trienkhai.core import registry

        registry.add_api(api)
        registry.add_log_words(changelog)
        user_logged_in.connect(checked_at_sign_in, dispatch_uid="trienkhai-2fa-at-sign-in")
