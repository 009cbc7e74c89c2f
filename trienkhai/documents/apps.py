from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "trienkhai.documents"
    label = "documents"
    verbose_name = "Documents"
