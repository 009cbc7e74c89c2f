from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "trienkhai.indicators"
    label = "indicators"
    verbose_name = "Indicators"

    def ready(self):
        from trienkhai.core import registry
        from trienkhai.indicators import api, changelog, handoffs, hooks, panels, queries, todo
        from trienkhai.tracking.panels import Panel
        from trienkhai.tracking.queries import EXPLANATION_SOURCES

        registry.add("units.paths_moved", "indicators.unit_path", hooks.rewrite_paths)
        registry.add_api(api)
        registry.add_log_words(changelog)
        registry.add("home.todo", "indicators", todo.todo)
        registry.add(
            "tracking.dashboard_panels",
            "indicators",
            Panel(30, "indicators/_panel.html", "indicators_panel", panels.panel),
        )
        registry.add("units.page_panels", "indicators", panels.unit_page)
        for action, handler in handoffs.HANDOFFS.items():
            registry.add("notify.handoffs", action, handler)
        # an explanation asked on an indicator counts in the unit's record like one on a task
        if queries.explanation_source not in EXPLANATION_SOURCES:
            EXPLANATION_SOURCES.append(queries.explanation_source)
