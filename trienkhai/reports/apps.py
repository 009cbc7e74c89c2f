from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Reports upward: report requests down the tree, each unit's report pre-filled from its
    data, consolidation, and the issued documents (BC) with their statistical annex."""

    name = "trienkhai.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self):
        from trienkhai.core import registry
        from trienkhai.reports import api, changelog, handoffs, hooks, panels, todo

        registry.add("units.handover", "reports.reports", hooks.hand_over_reports)
        registry.add("units.paths_moved", "reports.paths", hooks.rewrite_paths)
        registry.add("units.page_panels", "reports", panels.unit_page)
        registry.add_api(api)
        registry.add_log_words(changelog)
        registry.add("home.todo", "reports", todo.todo)
        for action, handler in handoffs.HANDOFFS.items():
            registry.add("notify.handoffs", action, handler)
