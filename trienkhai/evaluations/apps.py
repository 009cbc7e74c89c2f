from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "trienkhai.evaluations"
    label = "evaluations"
    verbose_name = "Evaluations"

    def ready(self):
        # The overdue-tasks warning provider registers itself on import.
        from trienkhai.evaluations import providers  # noqa: F401
