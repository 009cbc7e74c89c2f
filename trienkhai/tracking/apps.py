from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "trienkhai.tracking"
    label = "tracking"
    verbose_name = "Tracking"

    def ready(self):
        from trienkhai.accounts import classified
        from trienkhai.core import registry
        from trienkhai.tracking import api, changelog, handoffs, hooks, todo

        registry.add("units.handover", "tracking.assignments", hooks.hand_over_assignments)
        registry.add("units.paths_moved", "tracking.assignments", hooks.rewrite_assignment_paths)
        registry.add("units.paths_moved", "tracking.reports", hooks.rewrite_report_paths)
        registry.add("documents.implements", "tracking.plans", hooks.plan_registered)
        registry.add_api(api)
        registry.add("home.todo", "tracking", todo.todo)
        for action, handler in handoffs.HANDOFFS.items():
            registry.add("notify.handoffs", action, handler)

        # A plan is its document; a task, and each assignment of it, carry its plan's content.
        classified.register("tracking.Plan", "document")
        classified.register("tracking.Task", "plan__document", _("Nhiệm vụ mật"))
        classified.register("tracking.Assignment", "task__plan__document", _("Nhiệm vụ mật"))
        registry.add_log_words(changelog)
