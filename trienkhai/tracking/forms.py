"""Forms of the tracking pages: dashboard filters, plan registration, tasks, assignment, reports.

Forms only parse and check the shape of input; permissions and the rules live in
`tracking.actions`, whose refusals the views show on the field they name.
"""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from trienkhai.core.api import IdField
from trienkhai.core.forms import DateField, VersionedForm, VersionField
from trienkhai.documents.forms import parsed_symbol_or_error
from trienkhai.tracking.models import TargetAggregation, TargetDirection
from trienkhai.tree.kinds import UnitKind
from trienkhai.units.picker import UnitPickerField

EXPORTS = ("coverage", "rollup", "ranking", "overdue", "targets")


class DashboardForm(forms.Form):
    unit = IdField(required=False, widget=forms.HiddenInput)
    # Any directive the user may read, typed by its number and symbol (or given by id in a
    # link); the newest ones are offered as suggestions, not as the only choices. The view
    # looks it up in the user's scope and says so when it finds none.
    directive = forms.CharField(
        label=_("Văn bản gốc"),
        required=False,
        max_length=120,
        widget=forms.TextInput(
            attrs={
                "list": "directive-suggestions",
                "autocomplete": "off",
                "placeholder": _("Số, ký hiệu (để trống: tất cả)"),
            }
        ),
    )
    as_of = DateField(label=_("Tính đến ngày"), required=False)
    start = DateField(label=_("Xếp hạng từ ngày"), required=False)
    end = DateField(label=_("đến ngày"), required=False)
    opage = forms.IntegerField(
        label=_("Trang danh sách quá hạn"),
        required=False,
        min_value=1,
        max_value=10**9,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, directives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions = directives

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data


class SymbolField(forms.CharField):
    """A document's printed number and symbol, normalised like the registry stores it."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        return parsed_symbol_or_error(value.strip()).format()


class PlanRegisterForm(forms.Form):
    symbol = SymbolField(
        label=_("Số và ký hiệu của kế hoạch"),
        max_length=100,
        help_text=_("Văn bản đã vào sổ, ví dụ 03-KH/TU."),
    )
    date = DateField(label=_("Ngày ban hành (nếu có nhiều văn bản cùng số)"), required=False)
    implements_symbol = SymbolField(
        label=_("Thực hiện văn bản (số và ký hiệu)"),
        max_length=100,
        required=False,
        help_text=_("Văn bản gốc hoặc kế hoạch cấp trên mà kế hoạch này thực hiện."),
    )
    implements_date = DateField(label=_("Ngày ban hành văn bản được thực hiện"), required=False)


class TaskForm(VersionedForm):
    number = forms.CharField(label=_("Số thứ tự"), max_length=16, required=False)
    title = forms.CharField(label=_("Nội dung nhiệm vụ"), widget=forms.Textarea(attrs={"rows": 3}))
    lead_unit = UnitPickerField(label=_("Đơn vị chủ trì"))
    cooperating = UnitPickerField(label=_("Đơn vị phối hợp"), multiple=True, required=False)
    deadline_text = forms.CharField(
        label=_("Thời hạn"),
        max_length=100,
        help_text=_(
            "Ghi như văn bản: 31/12/2021, tháng 12/2021, quý I/2022, hằng năm từ 2022, "
            "thường xuyên…"
        ),
    )
    deliverable = forms.CharField(
        label=_("Sản phẩm"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    target_value = forms.DecimalField(
        label=_("Chỉ tiêu"), max_digits=14, decimal_places=2, required=False, localize=True
    )
    target_unit = forms.CharField(label=_("Đơn vị tính"), max_length=50, required=False)
    target_direction = forms.ChoiceField(
        label=_("Chiều của chỉ tiêu"), choices=TargetDirection.choices, required=False
    )
    target_aggregation = forms.ChoiceField(
        label=_("Cách tổng hợp lên cấp trên"),
        choices=TargetAggregation.choices,
        required=False,
        help_text=_(
            "Cộng dồn cho số lượng (đảng viên kết nạp…); bình quân cho tỷ lệ hoặc mức bình quân."
        ),
    )
    requires_plan = forms.BooleanField(
        label=_("Yêu cầu cấp dưới ban hành kế hoạch thực hiện"), required=False
    )
    version = VersionField()

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = editing

    def clean_deadline_text(self):
        from trienkhai.tracking.deadlines import parse_deadline

        text = self.cleaned_data["deadline_text"].strip()
        try:
            self.deadline = parse_deadline(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return text


class AssignForm(forms.Form):
    RULES = (
        ("children", _("Mọi đơn vị trực thuộc trực tiếp")),
        ("kind", _("Mọi đơn vị thuộc loại dưới đây trong phạm vi của tôi")),
        ("units", _("Các đơn vị chọn dưới đây")),
    )
    rule = forms.ChoiceField(
        label=_("Giao cho"), choices=RULES, widget=forms.RadioSelect, initial="children"
    )
    units = UnitPickerField(label=_("Đơn vị"), multiple=True, required=False)
    kind = forms.ChoiceField(
        label=_("Loại đơn vị"), choices=[("", "—")] + list(UnitKind.choices), required=False
    )

    def clean(self):
        data = super().clean()
        rule = data.get("rule")
        if rule == "units" and not (data.get("units") or "").strip():
            self.add_error("units", _("Hãy chọn ít nhất một đơn vị."))
        elif rule == "kind" and not data.get("kind"):
            self.add_error("kind", _("Hãy chọn loại đơn vị."))
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ReportForm(VersionedForm):
    STATUS_CHOICES = (
        ("in_progress", _("Đang thực hiện")),
        ("done", _("Đã hoàn thành")),
    )
    state = forms.ChoiceField(label=_("Tình trạng"), choices=STATUS_CHOICES, initial="in_progress")
    reported_on = DateField(label=_("Ngày báo cáo"))
    percent = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100, initial=0)
    narrative = forms.CharField(
        label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    target_reached = forms.DecimalField(
        label=_("Chỉ tiêu đạt được"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        localize=True,
        help_text=_(
            "Số lũy kế tính đến ngày báo cáo (không phải số tăng thêm từ lần báo cáo trước); "
            "được tính vào kết quả khi đơn vị giao nhiệm vụ chấp nhận báo cáo."
        ),
    )
    documents = forms.CharField(
        label=_("Văn bản liên quan (số và ký hiệu, cách nhau bởi dấu phẩy)"),
        max_length=2000,
        required=False,
    )
    files = MultipleFileField(label=_("Tài liệu minh chứng"), required=False)
    version = VersionField()

    def clean_documents(self):
        symbols = []
        for part in self.cleaned_data["documents"].replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            symbols.append(parsed_symbol_or_error(part).format())
        return symbols

    def clean(self):
        data = super().clean()
        if data.get("state") == "done":
            data["percent"] = 100
        return data

    @classmethod
    def initial_for(cls, assignment, today: datetime.date) -> dict:
        return {"reported_on": today, "percent": assignment.percent, "version": assignment.version}


class ReviewForm(VersionedForm):
    decision = forms.ChoiceField(
        choices=(("accept", _("Chấp nhận")), ("return", _("Trả lại"))), widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = VersionField()

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Trả lại báo cáo cần ghi rõ lý do."))
        return data


class ExplanationRequestForm(forms.Form):
    question = forms.CharField(
        label=_("Nội dung yêu cầu giải trình"), widget=forms.Textarea(attrs={"rows": 2})
    )
    answer_by = DateField(
        label=_("Hạn giải trình"),
        required=False,
        help_text=_("Để trống: 7 ngày kể từ hôm nay."),
    )


class ExplanationAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Nội dung giải trình"), widget=forms.Textarea(attrs={"rows": 3})
    )
