from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "trienkhai.practices"
    label = "practices"
    verbose_name = "Practices"
