"""Forms of the reports pages: shape only; the actions check the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from trienkhai.core.forms import DateField
from trienkhai.reports.models import Facts, RecipientRule, ReportKind
from trienkhai.tracking.forms import SymbolField
from trienkhai.tree.kinds import UnitKind
from trienkhai.units.picker import UnitPickerField

REQUESTABLE_KINDS = [
    (k.value, k.label) for k in UnitKind if k not in (UnitKind.CENTRAL, UnitKind.DISTRICT)
]


class RequestForm(forms.Form):
    unit = UnitPickerField(label=_("Đơn vị yêu cầu"), role="coordinator")
    title = forms.CharField(label=_("Tên báo cáo"), max_length=300)
    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=ReportKind.choices)
    directives = forms.CharField(
        label=_("Văn bản được báo cáo (số và ký hiệu)"),
        max_length=500,
        help_text=_("Một hoặc nhiều văn bản, cách nhau bởi dấu chấm phẩy: 21-KL/TW; 03-KH/TW."),
    )
    period_start = DateField(label=_("Kỳ báo cáo từ ngày"))
    period_end = DateField(label=_("đến ngày"))
    deadline = DateField(label=_("Hạn gửi báo cáo"))
    rule = forms.ChoiceField(
        label=_("Đơn vị được yêu cầu"),
        choices=RecipientRule.choices,
        widget=forms.RadioSelect,
        initial=RecipientRule.CHILDREN,
    )
    kinds = forms.MultipleChoiceField(
        label=_("Loại đơn vị"),
        choices=REQUESTABLE_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    figures = forms.MultipleChoiceField(
        label=_("Chỉ tiêu hệ thống tự tính"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, figure_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figures"].choices = list(figure_choices)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Kỳ báo cáo phải kết thúc sau ngày bắt đầu."))
        if data.get("rule") == RecipientRule.KINDS and not data.get("kinds"):
            self.add_error("kinds", _("Hãy chọn ít nhất một loại đơn vị."))
        return data


class SectionForm(forms.Form):
    number = forms.CharField(label=_("Số"), max_length=12, required=False)
    title = forms.CharField(label=_("Tiêu đề mục"), max_length=300, required=False)
    facts = forms.ChoiceField(label=_("Số liệu gợi ý"), choices=Facts.choices, required=False)
    guidance = forms.CharField(
        label=_("Hướng dẫn"), max_length=2000, required=False, widget=forms.TextInput
    )


class ManualIndicatorForm(forms.Form):
    code = forms.CharField(label=_("Mã"), max_length=32, required=False)
    label = forms.CharField(label=_("Chỉ tiêu nhập tay"), max_length=300, required=False)
    measure = forms.CharField(label=_("Đơn vị tính"), max_length=40, required=False)
    check_against = forms.ChoiceField(label=_("Đối chiếu với"), required=False)

    def __init__(self, *args, figure_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["check_against"].choices = [("", "—"), *figure_choices]


SectionFormSet = forms.formset_factory(SectionForm, extra=2, max_num=40, absolute_max=40)
ManualFormSet = forms.formset_factory(ManualIndicatorForm, extra=3, max_num=40, absolute_max=40)


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("accept", "accept"), ("return", "return")])
    reason = forms.CharField(
        label=_("Lý do trả lại"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PassDownForm(forms.Form):
    deadline = DateField(label=_("Hạn cấp dưới gửi báo cáo"))
    rule = forms.ChoiceField(
        label=_("Đơn vị được yêu cầu"),
        choices=RecipientRule.choices,
        widget=forms.RadioSelect,
        initial=RecipientRule.CHILDREN,
    )
    kinds = forms.MultipleChoiceField(
        label=_("Loại đơn vị"),
        choices=REQUESTABLE_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class IssueForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    symbol = SymbolField(
        label=_("Số và ký hiệu"),
        max_length=100,
        help_text=_("Đề xuất: số báo cáo tiếp theo của đơn vị trong nhiệm kỳ; có thể sửa."),
    )
    term = forms.CharField(label=_("Nhiệm kỳ, khóa"), max_length=32)
    date = DateField(label=_("Ngày ban hành"))
    place = forms.CharField(label=_("Địa danh"), max_length=100, required=False)
    authority = forms.CharField(
        label=_("Thẩm quyền ký"), max_length=120, required=False, initial="T/M BAN THƯỜNG VỤ"
    )
    position = forms.CharField(label=_("Chức vụ người ký"), max_length=120, required=False)
    signer = forms.CharField(label=_("Người ký"), max_length=120, required=False)
    recipients = forms.CharField(
        label=_("Nơi nhận (mỗi dòng một nơi)"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FileForm(forms.Form):
    file = forms.FileField(label=_("Tệp đính kèm"))
