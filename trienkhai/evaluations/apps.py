from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "trienkhai.evaluations"
    label = "evaluations"
    verbose_name = "Evaluations"
