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


def _relations(ids, _known) -> dict[str, str]:
    """A link by its kind and the documents' numbers in the register (never their symbols:
    either may be classified above the reader)."""
    from trienkhai.documents.models import DocumentRelation

    rows = DocumentRelation.objects.filter(pk__in=ids)
    return {str(r.pk): f"{r.get_kind_display()} (#{r.source_id} → #{r.target_id})" for r in rows}


NAMES = {
    "documents.attachment": (_("tệp đính kèm"), None),
    "documents.documentrelation": (_("liên kết văn bản"), _relations),
}
