from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "trienkhai.units"
    label = "units"
    verbose_name = "Units"

    def ready(self):
        from trienkhai.core import registry
        from trienkhai.units import api, changelog

        registry.add_api(api)
        registry.add_log_words(changelog)
