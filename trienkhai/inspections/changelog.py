"""What the change log says of this app's actions, registered in the app's `ready()`
(`core.registry.add_log_words`): `core.actions.record` refuses an action without a label."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "inspections.programme_create": _("Lập chương trình kiểm tra, giám sát"),
    "inspections.programme_update": _("Sửa chương trình kiểm tra, giám sát"),
    "inspections.create": _("Lập cuộc kiểm tra, giám sát"),
    "inspections.update": _("Sửa cuộc kiểm tra, giám sát"),
    "inspections.add_unit": _("Thêm đơn vị được kiểm tra"),
    "inspections.remove_unit": _("Bỏ đơn vị được kiểm tra"),
    "inspections.add_member": _("Thêm thành viên đoàn"),
    "inspections.remove_member": _("Bỏ thành viên đoàn"),
    "inspections.outline": _("Ban hành đề cương"),
    "inspections.self_report": _("Nộp báo cáo tự kiểm tra"),
    "inspections.step": _("Chuyển bước cuộc kiểm tra"),
    "inspections.register_document": _("Đăng ký văn bản của cuộc kiểm tra"),
    "inspections.finding": _("Ghi kết luận"),
    "inspections.finding_remove": _("Bỏ kết luận"),
    "inspections.recommendation": _("Ghi kiến nghị"),
    "inspections.recommendation_response": _("Trả lời kiến nghị"),
    "inspections.request": _("Yêu cầu khắc phục"),
    "inspections.request_forwarded": _("Chuyển yêu cầu khắc phục"),
    "inspections.request_start": _("Bắt đầu khắc phục"),
    "inspections.action_plan": _("Gửi kế hoạch khắc phục"),
    "inspections.remediation_report": _("Báo cáo kết quả khắc phục"),
    "inspections.remediation_report_file": _("Đính kèm báo cáo khắc phục"),
    "inspections.evaluation": _("Đánh giá kết quả khắc phục"),
    "inspections.evaluation_file": _("Đính kèm văn bản đánh giá khắc phục"),
    "inspections.request_close": _("Đóng yêu cầu khắc phục"),
    "inspections.handover": _("Chuyển yêu cầu khắc phục cho đơn vị kế thừa"),
}

# Words for records whose model has none in Vietnamese; their stored names are kept.
JOBS = {
    "inspections.reminders.remediation_reminders": _("Nhắc hạn khắc phục sau kiểm tra"),
}

NAMES = {
    "inspections.recommendation": (_("kiến nghị"), None),
    "inspections.outlinefile": (_("đề cương"), None),
    "inspections.teammember": (_("thành viên đoàn"), None),
    "inspections.selfreport": (_("báo cáo tự kiểm tra"), None),
    "inspections.remediationreport": (_("báo cáo kết quả khắc phục"), None),
    "inspections.evaluation": (_("đánh giá kết quả khắc phục"), None),
}
