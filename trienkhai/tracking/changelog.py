"""What the change log says of this app's actions and jobs, registered in the app's `ready()`
(`core.registry.add_log_words`): `core.actions.record` refuses an action without a label."""

from django.template.defaultfilters import truncatechars
from django.utils import formats
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

ACTIONS = {
    "tracking.register_plan": _l("Đăng ký kế hoạch"),
    "tracking.add_task": _l("Thêm nhiệm vụ"),
    "tracking.update_task": _l("Sửa nhiệm vụ"),
    "tracking.assign_task": _l("Giao nhiệm vụ"),
    "tracking.assign": _l("Giao nhiệm vụ cho đơn vị"),
    "tracking.extend_occurrences": _l("Thêm kỳ thực hiện nhiệm vụ định kỳ"),
    "tracking.report": _l("Gửi báo cáo tiến độ"),
    "tracking.progress": _l("Cập nhật tiến độ"),
    "tracking.accept_report": _l("Chấp nhận báo cáo"),
    "tracking.return_report": _l("Trả lại báo cáo"),
    "tracking.set_target": _l("Phân bổ chỉ tiêu cho đơn vị"),
    "tracking.request_explanation": _l("Yêu cầu giải trình"),
    "tracking.answer_explanation": _l("Giải trình"),
    "tracking.handover": _l("Chuyển giao nhiệm vụ cho đơn vị kế thừa"),
    "tracking.handover_merged": _l("Gộp nhiệm vụ vào đơn vị kế thừa"),
    "tracking.plan_obligation_met": _l("Ghi nhận đã ban hành kế hoạch thực hiện"),
}

JOBS = {
    "tracking.recurrence.extend_recurring": _l("Thêm kỳ cho nhiệm vụ định kỳ"),
    "tracking.reminders.daily_reminders": _l("Nhắc việc hằng ngày"),
}


def _date(day) -> str:
    return formats.date_format(day, "d/m/Y")


def _assignments(ids, known) -> dict[str, str]:
    from trienkhai.tracking.models import Assignment

    rows = Assignment.objects.filter(known("unit"), pk__in=ids).values_list(
        "pk", "task__title", "unit__name", "due"
    )
    return {
        str(pk): _("%(task)s — %(unit)s, hạn %(due)s")
        % {"task": truncatechars(title, 90), "unit": unit, "due": _date(due)}
        for pk, title, unit, due in rows
    }


def _reports(ids, known) -> dict[str, str]:
    from trienkhai.tracking.models import ProgressReport

    rows = ProgressReport.objects.filter(known("assignment__unit"), pk__in=ids).values_list(
        "pk", "assignment__unit__name", "reported_on"
    )
    return {
        str(pk): _("%(unit)s, ngày %(date)s") % {"unit": unit, "date": _date(day)}
        for pk, unit, day in rows
    }


def _explanations(ids, known) -> dict[str, str]:
    from trienkhai.tracking.models import ExplanationRequest

    rows = ExplanationRequest.objects.filter(known("assignment__unit"), pk__in=ids).values_list(
        "pk", "assignment__unit__name", "requested_at"
    )
    return {
        str(pk): _("%(unit)s, ngày %(date)s") % {"unit": unit, "date": _date(localtime(at))}
        for pk, unit, at in rows
    }


# The task and unit of an assignment, not its ids; a report or an explanation request by its
# unit and date (never its task's title: those records carry no clearance check of their own).
NAMES = {
    "tracking.assignment": (_l("phân công"), _assignments),
    "tracking.progressreport": (_l("báo cáo tiến độ"), _reports),
    "tracking.explanationrequest": (_l("yêu cầu giải trình"), _explanations),
    "tracking.occurrence": (_l("kỳ thực hiện"), None),
    "tracking.evidence": (_l("minh chứng"), None),
}
