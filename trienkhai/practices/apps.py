from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "trienkhai.practices"
    label = "practices"
    verbose_name = "Practices"

    def ready(self):
        from trienkhai.core import registry
        from trienkhai.practices import api, changelog

        registry.add_api(api)
        registry.add_log_words(changelog)
