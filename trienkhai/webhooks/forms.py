from django import forms
from django.utils.translation import gettext_lazy as _

# The kinds of events a subscription may choose (action prefixes of the change log).
EVENT_KINDS = [
    ("tracking.", _("Theo dõi thực hiện: kế hoạch, nhiệm vụ, báo cáo tiến độ, duyệt")),
    ("reports.", _("Báo cáo định kỳ: yêu cầu, dự thảo, gửi, ban hành")),
    ("documents.", _("Văn bản: đăng ký, sửa, liên kết")),
    ("inspections.", _("Kiểm tra, giám sát và khắc phục")),
    ("conferences.", _("Hội nghị quán triệt")),
    ("evaluations.", _("Đánh giá, xếp loại")),
    ("units.", _("Đơn vị và sắp xếp tổ chức")),
]


class SubscriptionForm(forms.Form):
    name = forms.CharField(label=_("Tên"), max_length=200)
    url = forms.URLField(
        label=_("Địa chỉ nhận (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Hệ thống nhận sẽ được gửi yêu cầu POST có chữ ký HMAC-SHA256."),
    )
    unit = forms.CharField(
        label=_("Đơn vị"),
        max_length=200,
        help_text=_("Sự kiện của đơn vị này và các đơn vị trực thuộc."),
    )
    events = forms.MultipleChoiceField(
        label=_("Loại sự kiện"),
        choices=EVENT_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Không chọn loại nào: mọi sự kiện."),
    )
