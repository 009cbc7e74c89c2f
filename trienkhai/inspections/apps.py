from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "trienkhai.inspections"
    label = "inspections"
    verbose_name = "Inspections"

    def ready(self):
        # Registers the evaluation flag providers and the handover of open requests.
        from trienkhai.inspections import flags, hooks  # noqa: F401
