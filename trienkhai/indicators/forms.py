"""Forms of the indicator pages: shape only; the actions check the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from trienkhai.core.forms import DateField, VersionedForm
from trienkhai.units.picker import UnitPickerField


class ReportForm(VersionedForm):
    period = forms.TypedChoiceField(label=_("Kỳ báo cáo"), coerce=int)
    value = forms.CharField(label=_("Giá trị đạt được"), max_length=30)
    # "period:version" of every value on the page when it was loaded ("1:2 3:1"): the version
    # the edit of the chosen period started from (none: 0, a new value)
    versions = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    def expected_version(self) -> int:
        known = {}
        for item in (self.cleaned_data.get("versions") or "").split():
            period, _sep, version = item.partition(":")
            if period.isdigit() and version.isdigit():
                known[int(period)] = int(version)
        return known.get(self.cleaned_data["period"], 0)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = choices


class CascadeForm(forms.Form):
    METHODS = [
        ("even", _("Chia đều")),
        ("weight", _("Theo trọng số")),
        ("manual", _("Giao từng đơn vị")),
    ]
    method = forms.ChoiceField(label=_("Cách phân bổ"), choices=METHODS)


class ImportForm(forms.Form):
    document = forms.TypedChoiceField(label=_("Văn bản"), coerce=int)
    unit = UnitPickerField(label=_("Đơn vị giao chỉ tiêu"))
    name = forms.CharField(label=_("Tên bộ chỉ tiêu"), max_length=300)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    file = forms.FileField(label=_("Tệp Excel (XLSX)"))

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [
            (d.pk, f"{d.symbol} — {d.subject[:80]}") for d in documents
        ]


class ExplanationRequestForm(forms.Form):
    question = forms.CharField(
        label=_("Nội dung yêu cầu giải trình"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    answer_by = DateField(
        label=_("Hạn giải trình"), required=False, help_text=_("Để trống: 7 ngày kể từ hôm nay.")
    )


class ExplanationAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Nội dung giải trình"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )
