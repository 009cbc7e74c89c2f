from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "trienkhai.evaluations"
    label = "evaluations"
    verbose_name = "Evaluations"

    def ready(self):
        from trienkhai.core import registry
        from trienkhai.evaluations import api, changelog, handoffs, panels, providers, todo
        from trienkhai.tracking.panels import Panel

        registry.add("evaluations.flags", "overdue_tasks", providers.overdue_tasks)
        registry.add("evaluations.flags", "explanations", providers.explanations)
        registry.add_api(api)
        registry.add("home.todo", "evaluations", todo.todo)
        for action, handler in handoffs.HANDOFFS.items():
            registry.add("notify.handoffs", action, handler)
        registry.add(
            "tracking.dashboard_panels",
            "evaluations",
            Panel(30, "evaluations/_panel.html", "evaluation_panel", panels.panel),
        )
        registry.add_log_words(changelog)
