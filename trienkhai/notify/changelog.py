"""What the change log says of this app's actions and jobs, registered in the app's `ready()`
(`core.registry.add_log_words`): `core.actions.record` refuses an action without a label."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "notify.job_retry": _("Chạy lại công việc nền"),
    "notify.job_discard": _("Bỏ công việc nền bị lỗi"),
}

JOBS = {
    "notify.jobs.purge": _("Dọn thông báo cũ"),
}
