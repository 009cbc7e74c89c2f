"""What the change log says of this app's actions, registered in the app's `ready()`
(`core.registry.add_log_words`): `core.actions.record` refuses an action without a label."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "evaluations.create_period": _("Mở kỳ đánh giá, xếp loại"),
    "evaluations.update_period": _("Sửa kỳ đánh giá, xếp loại"),
    "evaluations.open": _("Mở phiếu đánh giá của đơn vị"),
    "evaluations.self_rate": _("Tự đánh giá, xếp loại"),
    "evaluations.review": _("Thẩm định đánh giá"),
    "evaluations.return": _("Trả lại đánh giá"),
    "evaluations.decide": _("Quyết định xếp loại"),
    "evaluations.decide_over_cap": _("Quyết định xếp loại vượt tỷ lệ"),
    "evaluations.notify": _("Thông báo kết quả xếp loại"),
}
