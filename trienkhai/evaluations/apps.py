from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "trienkhai.evaluations"
    label = "evaluations"
    verbose_name = "Evaluations"

    def ready(self):
        from trienkhai.core import registry
        from trienkhai.evaluations import api, providers

        registry.add("evaluations.flags", "overdue_tasks", providers.overdue_tasks)
        registry.add_api(api)
