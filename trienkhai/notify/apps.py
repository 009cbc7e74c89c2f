from django.apps import AppConfig


class NotifyConfig(AppConfig):
    """Background jobs and notifications: the operational rows behind `trienkhai worker`."""

    name = "trienkhai.notify"
    label = "notify"
    verbose_name = "Notify"
