"""The outline (đề cương) and statistical form (biểu mẫu) a new request starts from.

The outline follows the common one for a sơ kết / tổng kết report on a directive (REPORTS.md §1):
what was done to lead and organise (dissemination, plans, inspection), the results, the
shortcomings and their causes, the tasks ahead, the recommendations upward. Each section names
the facts the system writes its starting text from (`Facts`). The form lists the figures the
system computes (`reports.figures`); a requester adds hand-entered lines of its own.
"""

from django.utils.translation import gettext_lazy as _

from trienkhai.reports.models import Facts

# number, title, facts, guidance
DEFAULT_OUTLINE = [
    ("I", _("Công tác lãnh đạo, chỉ đạo, tổ chức thực hiện"), Facts.NONE, ""),
    (
        "1",
        _("Công tác học tập, quán triệt, tuyên truyền"),
        Facts.CONFERENCES,
        _("Hình thức, số hội nghị, số điểm cầu, số người tham dự."),
    ),
    (
        "2",
        _("Ban hành văn bản, kế hoạch thực hiện"),
        Facts.PLANS,
        _("Số, ngày văn bản; tỷ lệ cấp ủy cấp dưới đã ban hành kế hoạch."),
    ),
    (
        "3",
        _("Công tác kiểm tra, giám sát"),
        Facts.INSPECTIONS,
        _("Số cuộc kiểm tra, giám sát; kết luận; việc khắc phục sau kiểm tra."),
    ),
    (
        "II",
        _("Kết quả thực hiện các nhiệm vụ"),
        Facts.PRACTICES,
        _("Kết quả theo từng nhiệm vụ, chỉ tiêu, có số liệu; mô hình, cách làm hay."),
    ),
    (
        "III",
        _("Hạn chế, khuyết điểm, nguyên nhân và bài học kinh nghiệm"),
        Facts.OVERDUE,
        _("Nêu cụ thể nhiệm vụ chậm, nguyên nhân khách quan, chủ quan."),
    ),
    ("IV", _("Phương hướng, nhiệm vụ, giải pháp thời gian tới"), Facts.NONE, ""),
    ("V", _("Kiến nghị, đề xuất"), Facts.EXPLANATIONS, ""),
]
