"""What the change log says of this app's actions, registered in the app's `ready()`
(`core.registry.add_log_words`): `core.actions.record` refuses an action without a label."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "documents.register": _("Đăng ký văn bản"),
    "documents.update": _("Sửa văn bản"),
    "documents.relate": _("Liên kết văn bản"),
    "documents.unrelate": _("Bỏ liên kết văn bản"),
    "documents.attach": _("Đính kèm tệp vào văn bản"),
}

# Words for records whose model has none in Vietnamese; their stored names are kept.
NAMES = {
    "documents.attachment": (_("tệp đính kèm"), None),
    "documents.documentrelation": (_("liên kết văn bản"), None),
}
