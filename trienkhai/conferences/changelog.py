"""What the change log says of this app's actions, registered in the app's `ready()`
(`core.registry.add_log_words`): `core.actions.record` refuses an action without a label."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "conferences.record": _("Ghi nhận hội nghị quán triệt"),
    "conferences.update": _("Sửa hội nghị quán triệt"),
}
