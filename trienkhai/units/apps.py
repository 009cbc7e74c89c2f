from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "trienkhai.units"
    label = "units"
    verbose_name = "Units"

    def ready(self):
        from trienkhai.core import registry
        from trienkhai.units import api

        registry.add_api(api)
