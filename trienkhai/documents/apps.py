from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "trienkhai.documents"
    label = "documents"
    verbose_name = "Documents"

    def ready(self):
        from trienkhai.accounts import classified
        from trienkhai.core import registry
        from trienkhai.documents import api, changelog

        registry.add_api(api)

        # A document, and a file attached to it, are named only to readers cleared for it.
        classified.register("documents.Document", "")
        classified.register("documents.Attachment", "document", _("Tệp của văn bản mật"))
        registry.add_log_words(changelog)
