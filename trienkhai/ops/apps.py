from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the product: health, metrics, logs, backups; reads every floor, writes none."""

    name = "trienkhai.ops"
    label = "ops"
