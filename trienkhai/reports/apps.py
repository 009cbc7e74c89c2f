from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Reports upward: report requests down the tree, each unit's report pre-filled from its
    data, consolidation, and the issued documents (BC) with their statistical annex."""

    name = "trienkhai.reports"
    label = "reports"
    verbose_name = "Reports"
