from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "trienkhai.units"
    label = "units"
    verbose_name = "Units"
