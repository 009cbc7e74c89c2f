from django.apps import AppConfig


class NotifyConfig(AppConfig):
    """Notifications, and the bookkeeping of background tasks behind `trienkhai worker` (daily
    runs, live workers) and their operators' page."""

    name = "trienkhai.notify"
    label = "notify"
    verbose_name = "Notify"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.core import checks as django_checks

        from trienkhai.core import registry
        from trienkhai.notify import changelog, checks, handoffs, preferences

        django_checks.register(checks.site_url)

        registry.add_log_words(changelog)
        registry.add("core.recorded", "notify.handoffs", handoffs.scheduled)
        user_logged_in.connect(preferences.language_on_login, dispatch_uid="notify.language")
