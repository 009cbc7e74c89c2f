"""What the change log says of this app's actions and jobs, registered in the app's `ready()`
(`core.registry.add_log_words`): `core.actions.record` refuses an action without a label."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "units.create": _("Thành lập đơn vị"),
    "units.rename": _("Đổi tên đơn vị"),
    "units.move": _("Điều chuyển đơn vị"),
    "units.merge": _("Hợp nhất, sáp nhập đơn vị"),
    "units.split": _("Chia tách đơn vị"),
    "units.dissolve": _("Giải thể đơn vị"),
    "reorganisation.create": _("Ghi nhận quyết định thành lập"),
    "reorganisation.rename": _("Ghi nhận quyết định đổi tên"),
    "reorganisation.move": _("Ghi nhận quyết định điều chuyển"),
    "reorganisation.merge": _("Ghi nhận quyết định hợp nhất, sáp nhập"),
    "reorganisation.split": _("Ghi nhận quyết định chia tách"),
    "reorganisation.dissolve": _("Ghi nhận quyết định giải thể"),
}

JOBS = {
    "units.imports.jobs.import_file": _("Nhập danh sách đơn vị"),
}
