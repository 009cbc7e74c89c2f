"""Forms of the evaluation pages. They parse input only; the rules live in `evaluations.actions`,
whose refusals the views show on the field they name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from trienkhai.core.forms import DateField, VersionedForm, VersionField
from trienkhai.evaluations.models import Level
from trienkhai.units.picker import UnitPickerField

LEVEL_CHOICES = [("", _("— chọn mức —")), *Level.choices]


def _score(label):
    return forms.DecimalField(
        label=label, max_digits=5, decimal_places=1, localize=True, min_value=0
    )


def _percent(label):
    return forms.DecimalField(
        label=label,
        max_digits=4,
        decimal_places=1,
        localize=True,
        required=False,
        min_value=0,
        max_value=100,
    )


class PeriodForm(VersionedForm):
    unit = UnitPickerField(
        label=_("Đơn vị ban hành quy định"),
        help_text=_("Quy định của kỳ áp dụng cho đơn vị này và các đơn vị trực thuộc."),
    )
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Tên kỳ đánh giá"), max_length=200, required=False)
    ends_on = DateField(label=_("Ngày cuối kỳ"), required=False)
    general_max = forms.IntegerField(label=_("Điểm tối đa phần chung"), min_value=1)
    results_max = forms.IntegerField(label=_("Điểm tối đa phần kết quả"), min_value=1)
    excellent_min = forms.IntegerField(label=_("Xuất sắc: tổng điểm từ"), min_value=0)
    excellent_on_time_min = forms.IntegerField(
        label=_("Xuất sắc: tỷ lệ nhiệm vụ đúng hạn từ (%)"), min_value=0, max_value=100
    )
    excellent_exceeded_min = forms.IntegerField(
        label=_("Xuất sắc: tỷ lệ chỉ tiêu vượt mức từ (%)"), min_value=0, max_value=100
    )
    good_min = forms.IntegerField(label=_("Tốt: tổng điểm từ"), min_value=0)
    complete_min = forms.IntegerField(label=_("Hoàn thành: tổng điểm từ"), min_value=0)
    cap_percent = forms.IntegerField(
        label=_("Tỷ lệ xuất sắc tối đa (%)"),
        min_value=0,
        max_value=100,
        help_text=_(
            "Số tổ chức được quyết định xuất sắc không vượt quá tỷ lệ này trên số tổ chức xếp "
            "loại tốt trở lên của cùng cấp quyết định."
        ),
    )
    disqualifiers = forms.CharField(
        label=_("Điều kiện xếp loại không hoàn thành nhiệm vụ (mỗi dòng một điều kiện)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    version = VersionField()

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["unit"]
            del self.fields["year"]
        else:
            self.fields["version"].required = False

    def clean_disqualifiers(self):
        return [
            line.strip() for line in self.cleaned_data["disqualifiers"].splitlines() if line.strip()
        ]


class _StepForm(VersionedForm):
    general = _score(_("Điểm phần chung"))
    results = _score(_("Điểm phần kết quả"))
    level = forms.ChoiceField(label=_("Mức xếp loại"), choices=LEVEL_CHOICES)
    disqualifiers = forms.MultipleChoiceField(
        label=_("Thuộc trường hợp xếp loại không hoàn thành nhiệm vụ"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = VersionField()

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["disqualifiers"].choices = [(d, d) for d in period.disqualifiers]
        self.fields["general"].help_text = _("Tối đa %(n)s điểm.") % {"n": period.general_max}
        self.fields["results"].help_text = _("Tối đa %(n)s điểm.") % {"n": period.results_max}
        if not period.disqualifiers:
            del self.fields["disqualifiers"]


class SelfRatingForm(_StepForm):
    on_time_percent = _percent(_("Tỷ lệ nhiệm vụ hoàn thành đúng hạn (%)"))
    exceeded_percent = _percent(_("Tỷ lệ chỉ tiêu hoàn thành vượt mức (%)"))
    narrative = forms.CharField(
        label=_("Báo cáo kiểm điểm (tóm tắt)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    members_excellent = forms.IntegerField(label=_("Số đảng viên HTXSNV"), min_value=0, initial=0)
    members_good = forms.IntegerField(label=_("Số đảng viên HTTNV"), min_value=0, initial=0)
    members_complete = forms.IntegerField(label=_("Số đảng viên HTNV"), min_value=0, initial=0)
    members_not_complete = forms.IntegerField(label=_("Số đảng viên KHTNV"), min_value=0, initial=0)
    members_not_rated = forms.IntegerField(
        label=_("Số đảng viên chưa xếp loại"), min_value=0, initial=0
    )
    rated_on = DateField(label=_("Ngày tự đánh giá"))

    field_order = [
        "general",
        "results",
        "on_time_percent",
        "exceeded_percent",
        "disqualifiers",
        "level",
        "narrative",
    ]


class ReviewForm(_StepForm):
    on_time_percent = _percent(_("Tỷ lệ nhiệm vụ hoàn thành đúng hạn (%)"))
    exceeded_percent = _percent(_("Tỷ lệ chỉ tiêu hoàn thành vượt mức (%)"))
    narrative = forms.CharField(
        label=_("Ý kiến thẩm định"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    reviewed_on = DateField(label=_("Ngày thẩm định"))
    field_order = [
        "general",
        "results",
        "on_time_percent",
        "exceeded_percent",
        "disqualifiers",
        "level",
    ]


class DecisionForm(_StepForm):
    note = forms.CharField(
        label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    override_reason = forms.CharField(
        label=_("Lý do quyết định vượt tỷ lệ xuất sắc"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Chỉ cần khi quyết định này vượt tỷ lệ tối đa của kỳ; được ghi vào nhật ký."),
    )
    decided_on = DateField(label=_("Ngày quyết định"))
    field_order = ["general", "results", "disqualifiers", "level"]


class NotifyForm(VersionedForm):
    notified_on = DateField(label=_("Ngày thông báo"))
    version = VersionField()


class ReturnForm(VersionedForm):
    """Send the evaluation back to the organisation; the action requires the reason."""

    reason = forms.CharField(
        label=_("Lý do trả lại tổ chức"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Tổ chức được thông báo lý do và tự đánh giá lại; lý do được ghi vào nhật ký."),
    )
    version = VersionField()


class ChooseUnitForm(forms.Form):
    unit = UnitPickerField(label=_("Đơn vị quyết định"))
