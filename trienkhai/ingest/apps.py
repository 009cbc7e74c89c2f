from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "trienkhai.ingest"
    label = "ingest"
    verbose_name = "Ingest"
