from django.apps import AppConfig


class NotifyConfig(AppConfig):
    """Notifications, and the bookkeeping of background tasks behind `trienkhai worker` (daily
    runs, live workers) and their operators' page."""

    name = "trienkhai.notify"
    label = "notify"
    verbose_name = "Notify"
