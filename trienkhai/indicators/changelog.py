"""What the change log says of this app's actions, registered in the app's `ready()`."""

from django.utils import formats
from django.utils.timezone import localtime
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "indicators.create_set": _("Tạo bộ chỉ tiêu"),
    "indicators.add_indicator": _("Thêm chỉ tiêu"),
    "indicators.set_target": _("Giao chỉ tiêu năm cho đơn vị"),
    "indicators.cascade": _("Phân bổ chỉ tiêu xuống đơn vị trực thuộc"),
    "indicators.report": _("Báo cáo số liệu chỉ tiêu"),
    "indicators.compute": _("Tính số liệu chỉ tiêu từ hệ thống"),
    "indicators.import": _("Nhập bộ chỉ tiêu từ tệp Excel"),
    "indicators.rebuild": _("Tính lại số liệu tổng hợp chỉ tiêu"),
    "indicators.request_explanation": _("Yêu cầu giải trình chỉ tiêu"),
    "indicators.answer_explanation": _("Giải trình chỉ tiêu"),
}

JOBS = {"indicators.jobs.compute_indicators": _("Tính chỉ tiêu từ hệ thống hằng ngày")}


def _explanations(ids, known) -> dict[str, str]:
    """An explanation by its indicator's code, its unit and its date (the unit known to the
    reader: `known` limits the rows to units the reader may see)."""
    from trienkhai.indicators.models import Explanation

    rows = Explanation.objects.filter(known("unit"), pk__in=ids).values_list(
        "pk", "indicator__code", "unit__name", "requested_at"
    )
    return {
        str(pk): _t("%(code)s, %(unit)s, ngày %(date)s")
        % {
            "code": code,
            "unit": unit,
            "date": formats.date_format(localtime(at).date(), "SHORT_DATE_FORMAT"),
        }
        for pk, code, unit, at in rows
    }


NAMES = {"indicators.explanation": (_("giải trình chỉ tiêu"), _explanations)}
