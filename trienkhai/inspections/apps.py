from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "trienkhai.inspections"
    label = "inspections"
    verbose_name = "Inspections"

    def ready(self):
        from trienkhai.core import registry
        from trienkhai.inspections import api, changelog, flags, handoffs, hooks, panels, todo
        from trienkhai.tracking.panels import Panel

        registry.add("units.handover", "inspections.requests", hooks.hand_over_requests)
        registry.add("evaluations.flags", "open_remediation", flags.open_remediation)
        registry.add("evaluations.flags", "violations", flags.violations)
        registry.add_api(api)
        registry.add("home.todo", "inspections", todo.todo)
        for action, handler in handoffs.HANDOFFS.items():
            registry.add("notify.handoffs", action, handler)
        registry.add(
            "tracking.dashboard_panels",
            "inspections",
            Panel(10, "inspections/_panel.html", "remediation_panel", panels.panel),
        )
        registry.add_log_words(changelog)
