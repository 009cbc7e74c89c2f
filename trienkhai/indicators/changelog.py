"""What the change log says of this app's actions, registered in the app's `ready()`."""

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
}
