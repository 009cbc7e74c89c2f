from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "trienkhai.conferences"
    label = "conferences"
    verbose_name = "Conferences"

    def ready(self):
        from trienkhai.conferences import api, hooks
        from trienkhai.core import registry

        registry.add("units.paths_moved", "conferences.host_path", hooks.rewrite_host_paths)
        registry.add_api(api)
