from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "trienkhai.conferences"
    label = "conferences"
    verbose_name = "Conferences"

    def ready(self):
        from trienkhai.conferences import api, changelog, hooks, panels, todo
        from trienkhai.core import registry
        from trienkhai.tracking.panels import Panel

        registry.add("units.paths_moved", "conferences.host_path", hooks.rewrite_host_paths)
        registry.add_api(api)
        registry.add("home.todo", "conferences", todo.todo)
        registry.add(
            "tracking.dashboard_panels",
            "conferences",
            Panel(20, "conferences/_panel.html", "conferences_panel", panels.panel),
        )
        registry.add_log_words(changelog)
