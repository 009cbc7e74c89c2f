"""Forms of the conference pages: list and roll-up filters, the conference with its figure rows.

Forms parse and check shape only; the rules (permissions, rates, documents, dates) live in
`conferences.actions`, whose refusals the views show on the field they name. Figure rows are
plain formsets with a fixed number of empty rows (no script needed: the CSP forbids inline JS).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from trienkhai.accounts.classified import mask
from trienkhai.conferences.models import Category, Format
from trienkhai.conferences.timing import Timing
from trienkhai.core.forms import DateField, VersionedForm, VersionField
from trienkhai.documents.forms import parsed_symbol_or_error
from trienkhai.units.picker import UnitPickerField

LEVELS_LIST = "conference-levels"
# Stored as typed (the levels are data, compared when a level is entered twice), so these
# suggestions are not translated: every reader of a report sees the same words.
LEVEL_SUGGESTIONS = ("Cấp tỉnh", "Cấp huyện", "Cấp xã", "Tổ chức cơ sở đảng", "Chi bộ")
EXTRA_ROWS = 4


def _symbols(text: str) -> list[str]:
    out = []
    for sep in ";\n\r":
        text = text.replace(sep, ",")
    for part in (p.strip() for p in text.split(",")):
        if part:
            symbol = parsed_symbol_or_error(part).format()
            if symbol not in out:
                out.append(symbol)
    return out


class CountField(forms.IntegerField):
    """A head count: "15.500" as people type it, never negative."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("localize", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.error_messages["min_value"] = _("Số liệu không được âm.")
        self.error_messages["invalid"] = _("Số liệu phải là số nguyên.")


class ListFilterForm(forms.Form):
    unit = UnitPickerField(label=_("Đơn vị"), required=False)
    document = forms.TypedChoiceField(
        label=_("Văn bản"), required=False, coerce=int, empty_value=None
    )
    date_from = DateField(label=_("Từ ngày"), required=False)
    date_to = DateField(label=_("đến ngày"), required=False)
    timing = forms.ChoiceField(
        label=_("Thời hạn"),
        required=False,
        choices=[("", _("Tất cả"))] + [(t, Timing.LABELS[t]) for t in Timing.ORDER],
    )
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=200)

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [("", _("Tất cả văn bản"))] + [
            (d.pk, f"{d.symbol} — {d.subject[:70]}") for d in documents
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data


class RollupForm(ListFilterForm):
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["timing"]
        del self.fields["q"]


class ConferenceForm(VersionedForm):
    host = UnitPickerField(label=_("Đơn vị tổ chức"))
    date = DateField(label=_("Ngày tổ chức"))
    title = forms.CharField(label=_("Tên hội nghị"), widget=forms.Textarea(attrs={"rows": 2}))
    format = forms.ChoiceField(label=_("Hình thức"), choices=Format.choices)
    documents = forms.CharField(
        label=_("Văn bản được quán triệt (số và ký hiệu)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một văn bản, ví dụ 21-KL/TW."),
    )
    members_expected = CountField(label=_("Số đảng viên phải tham gia"))
    members_attending = CountField(label=_("Số đảng viên tham gia"))
    non_member_attendances = CountField(label=_("Lượt quần chúng tham dự"))
    deadline = DateField(
        label=_("Thời hạn phải tổ chức"),
        required=False,
        help_text=_("Bỏ trống nếu chọn nhiệm vụ bên dưới hoặc không có thời hạn."),
    )
    deadline_assignment = forms.TypedChoiceField(
        label=_("Hoặc lấy thời hạn từ nhiệm vụ được giao"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    note = forms.CharField(
        label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = VersionField()

    def __init__(self, *args, assignments=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = editing
        self.fields["deadline_assignment"].choices = [("", "—")] + [
            (
                a.pk,
                _("%(task)s — hạn %(due)s")
                % {"task": mask(a, "task.title")[:90], "due": a.due.strftime("%d/%m/%Y")},
            )
            for a in assignments
        ]

    def clean_documents(self):
        symbols = _symbols(self.cleaned_data["documents"])
        if not symbols:
            raise forms.ValidationError(_("Hãy nhập ít nhất một văn bản."))
        return symbols

    def clean_host(self):
        return self.cleaned_data["host"].strip()


class PointRowForm(forms.Form):
    level = forms.CharField(
        label=_("Cấp"),
        max_length=100,
        required=False,
        widget=forms.TextInput({"list": LEVELS_LIST}),
    )
    count = CountField(label=_("Số điểm cầu"))

    def clean(self):
        data = super().clean()
        if data.get("count") is not None and not (data.get("level") or "").strip():
            self.add_error("level", _("Hãy ghi cấp của điểm cầu."))
        if (data.get("level") or "").strip() and data.get("count") is None:
            self.add_error("count", _("Hãy nhập số điểm cầu."))
        return data


class AttendanceRowForm(forms.Form):
    level = forms.CharField(
        label=_("Cấp"),
        max_length=100,
        required=False,
        widget=forms.TextInput({"list": LEVELS_LIST}),
    )
    category = forms.ChoiceField(
        label=_("Thành phần"), required=False, choices=[("", "—")] + list(Category.choices)
    )
    count = CountField(label=_("Số đại biểu"))

    def clean(self):
        data = super().clean()
        filled = (data.get("level") or "").strip() or data.get("category")
        if data.get("count") is not None or filled:
            if not (data.get("level") or "").strip():
                self.add_error("level", _("Hãy ghi cấp của đại biểu."))
            if not data.get("category"):
                self.add_error("category", _("Hãy chọn thành phần."))
            if data.get("count") is None:
                self.add_error("count", _("Hãy nhập số đại biểu."))
        return data


PointsFormSet = forms.formset_factory(PointRowForm, extra=EXTRA_ROWS, max_num=50)
AttendanceFormSet = forms.formset_factory(AttendanceRowForm, extra=EXTRA_ROWS, max_num=100)


def point_rows(formset) -> list[tuple[str, int]]:
    return [
        (f.cleaned_data["level"].strip(), f.cleaned_data["count"])
        for f in formset.forms
        if f.cleaned_data.get("count") is not None
    ]


def attendance_rows(formset) -> list[tuple[str, str, int]]:
    return [
        (f.cleaned_data["level"].strip(), f.cleaned_data["category"], f.cleaned_data["count"])
        for f in formset.forms
        if f.cleaned_data.get("count") is not None
    ]
