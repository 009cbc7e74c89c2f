from django.apps import AppConfig


class NotifyConfig(AppConfig):
    """Notifications, and the bookkeeping of background tasks behind `trienkhai worker` (daily
    runs, live workers) and their operators' page."""

    name = "trienkhai.notify"
    label = "notify"
    verbose_name = "Notify"

    def ready(self):
        from trienkhai.core import registry
        from trienkhai.notify import changelog

        registry.add_log_words(changelog)
