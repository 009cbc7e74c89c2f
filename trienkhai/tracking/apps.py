from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "trienkhai.tracking"
    label = "tracking"
    verbose_name = "Tracking"

    def ready(self):
        from trienkhai.tracking import hooks  # noqa: F401  (registers handover and path hooks)
