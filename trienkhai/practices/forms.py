"""Forms of the good-practice register. Shape only: the rules live in `practices.actions`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from trienkhai.core.forms import DateField, VersionedForm, VersionField
from trienkhai.documents.forms import parsed_symbol_or_error
from trienkhai.tracking.forms import MultipleFileField
from trienkhai.units.picker import UnitPickerField


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=200)
    unit = UnitPickerField(label=_("Đơn vị và cấp dưới"), required=False)
    directive = forms.TypedChoiceField(
        label=_("Văn bản"), required=False, coerce=int, empty_value=None
    )
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=1930, max_value=2100)

    def __init__(self, *args, directives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["directive"].choices = [("", _("Tất cả văn bản"))] + [
            (d.pk, f"{d.symbol} — {d.subject[:70]}") for d in directives
        ]


class PracticeForm(VersionedForm):
    unit = UnitPickerField(label=_("Đơn vị xây dựng mô hình"))
    title = forms.CharField(label=_("Tên mô hình, cách làm"), max_length=300)
    description = forms.CharField(
        label=_("Nội dung, cách làm, kết quả"), widget=forms.Textarea(attrs={"rows": 5})
    )
    year = forms.IntegerField(label=_("Năm"), min_value=1930, max_value=2100)
    directives = forms.CharField(
        label=_("Văn bản liên quan (số và ký hiệu)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Mỗi dòng một văn bản, ví dụ 21-KL/TW."),
    )
    source = forms.CharField(label=_("Nguồn"), max_length=300, required=False)
    files = MultipleFileField(label=_("Tài liệu minh chứng"), required=False)
    version = VersionField()

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = editing

    def clean_unit(self):
        return self.cleaned_data["unit"].strip()

    def clean_directives(self):
        text = self.cleaned_data["directives"]
        for sep in ";\n\r":
            text = text.replace(sep, ",")
        out = []
        for part in (p.strip() for p in text.split(",")):
            if part:
                symbol = parsed_symbol_or_error(part).format()
                if symbol not in out:
                    out.append(symbol)
        return out


class AdoptForm(forms.Form):
    unit = UnitPickerField(label=_("Đơn vị áp dụng"))
    adopted_on = DateField(label=_("Ngày áp dụng"))
    note = forms.CharField(
        label=_("Ghi chú, kết quả áp dụng"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def clean_unit(self):
        return self.cleaned_data["unit"].strip()
