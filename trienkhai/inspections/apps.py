from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "trienkhai.inspections"
    label = "inspections"
    verbose_name = "Inspections"
