from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "trienkhai.units"
    label = "units"
    verbose_name = "Units"

    def ready(self):
        from trienkhai.core import registry
        from trienkhai.units import api, areas, changelog

        registry.add_api(api)
        registry.add_log_words(changelog)
        # Every logged write changes the panel cache's tokens of the areas it touched.
        registry.add("core.recorded", "units.areas", areas.recorded)
