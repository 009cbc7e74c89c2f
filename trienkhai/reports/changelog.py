"""What the change log says of this app's actions, registered in the app's `ready()`."""

from django.utils import formats
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "reports.create_request": _("Yêu cầu báo cáo"),
    "reports.prefill": _("Soạn báo cáo từ số liệu hệ thống"),
    "reports.save_draft": _("Lưu bản nháp báo cáo"),
    "reports.attach_file": _("Đính kèm tệp vào báo cáo"),
    "reports.submit": _("Gửi báo cáo"),
    "reports.accept": _("Chấp nhận báo cáo"),
    "reports.return": _("Trả lại báo cáo"),
    "reports.issue": _("Ban hành báo cáo"),
    "reports.handover": _("Chuyển báo cáo chưa gửi cho đơn vị kế thừa"),
}


def _requests(ids, known) -> dict[str, str]:
    from trienkhai.reports.models import ReportRequest

    rows = ReportRequest.objects.filter(known("unit"), pk__in=ids).values_list(
        "pk", "unit__name", "deadline"
    )
    return {
        str(pk): _t("của %(unit)s, hạn %(date)s")
        % {"unit": unit, "date": formats.date_format(day, "SHORT_DATE_FORMAT")}
        for pk, unit, day in rows
    }


def _reports(ids, known) -> dict[str, str]:
    from trienkhai.reports.models import UnitReport

    rows = UnitReport.objects.filter(known("unit"), pk__in=ids).values_list(
        "pk", "unit__name", "due"
    )
    return {
        str(pk): _t("của %(unit)s, hạn %(date)s")
        % {"unit": unit, "date": formats.date_format(day, "SHORT_DATE_FORMAT")}
        for pk, unit, day in rows
    }


NAMES = {
    "reports.reportrequest": (_("yêu cầu báo cáo"), _requests),
    "reports.unitreport": (_("báo cáo"), _reports),
    "reports.reportfile": (_("tệp đính kèm báo cáo"), None),
}
