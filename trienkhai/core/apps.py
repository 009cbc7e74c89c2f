from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "trienkhai.core"
    label = "core"
    verbose_name = "Core"
