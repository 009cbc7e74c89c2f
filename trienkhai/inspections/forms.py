"""Forms of the inspections pages: they parse input; rules and permissions live in the actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from trienkhai.accounts.models import Clearance
from trienkhai.core.forms import DateField, VersionedForm, VersionField
from trienkhai.documents.forms import parsed_symbol_or_error
from trienkhai.inspections.models import FindingKind, InspectionKind, MemberRole, State
from trienkhai.inspections.queries import SIDES, STATUS_FILTERS
from trienkhai.units.picker import UnitPickerField


def codes(text: str) -> list[str]:
    """Unit codes or document symbols typed separated by commas, semicolons or new lines."""
    for sep in ";\n\r\t":
        text = text.replace(sep, ",")
    out = []
    for code in (c.strip() for c in text.split(",")):
        if code and code not in out:
            out.append(code)
    return out


def _textarea(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class IdForm(VersionedForm):
    """A form whose element ids start with its own prefix, so that several forms on one page
    (outline, team, self-report, step …) never share an id."""

    ids = "id_%s"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", self.ids)
        super().__init__(*args, **kwargs)


class SymbolField(forms.CharField):
    """A document's printed number and symbol, normalised as the registry stores it."""

    def clean(self, value):
        value = super().clean(value)
        return parsed_symbol_or_error(value.strip()).format() if value else value


class InspectionForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Loại"), choices=InspectionKind.choices)
    unit = UnitPickerField(label=_("Cấp ủy kiểm tra, giám sát"), required=False)
    acting_body = UnitPickerField(label=_("Cơ quan giúp việc thực hiện (nếu có)"), required=False)
    programme = forms.TypedChoiceField(
        label=_("Chương trình"), required=False, coerce=int, empty_value=None
    )
    team_name = forms.CharField(label=_("Tên đoàn"), max_length=200, required=False)
    title = forms.CharField(label=_("Nội dung kiểm tra, giám sát"), widget=_textarea(2))
    directives = forms.CharField(
        label=_("Văn bản được kiểm tra (số và ký hiệu, cách nhau bởi dấu phẩy)"),
        max_length=2000,
        required=False,
    )
    inspected_units = UnitPickerField(label=_("Đối tượng kiểm tra"), multiple=True, required=False)
    period_from = DateField(label=_("Thời kỳ kiểm tra từ ngày"), required=False)
    period_to = DateField(label=_("đến ngày"), required=False)
    work_from = DateField(label=_("Thời gian làm việc từ ngày"), required=False)
    work_to = DateField(label=_("đến ngày"), required=False)
    work_extended_to = DateField(label=_("Gia hạn đến ngày"), required=False)
    note = forms.CharField(label=_("Ghi chú"), widget=_textarea(2), required=False)
    version = VersionField()

    def __init__(self, *args, programmes=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", "—")] + [(p.pk, str(p)) for p in programmes]
        if editing:
            for name in ("unit", "acting_body", "inspected_units"):
                del self.fields[name]
        else:
            self.fields["unit"].required = True
            self.fields["version"].required = False

    def clean_directives(self):
        return [parsed_symbol_or_error(s).format() for s in codes(self.cleaned_data["directives"])]

    def clean_inspected_units(self):
        return codes(self.cleaned_data["inspected_units"])


class StepForm(VersionedForm):
    """The next step: its date and a note; the decision and the notice name their document."""

    date = DateField(label=_("Ngày"), required=False)
    note = forms.CharField(label=_("Ghi chú"), widget=_textarea(2), required=False)
    symbol = SymbolField(label=_("Số và ký hiệu văn bản"), max_length=100, required=False)
    doc_date = DateField(label=_("Ngày ban hành"), required=False)
    subject = forms.CharField(label=_("Trích yếu (nếu văn bản chưa vào sổ)"), required=False)
    term = forms.CharField(label=_("Nhiệm kỳ, khóa"), max_length=32, required=False)
    classification = forms.TypedChoiceField(
        label=_("Độ mật"), choices=Clearance.choices, coerce=int, initial=0, required=False
    )
    version = VersionField()

    def __init__(self, *args, target=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        if target in (State.DECIDED, State.CONCLUDED):
            self.fields["symbol"].required = True
            self.fields["doc_date"].required = True
            del self.fields["date"]
        else:
            for name in ("symbol", "doc_date", "subject", "term", "classification"):
                del self.fields[name]
            self.fields["date"].required = True


class MemberForm(IdForm):
    ids = "member_%s"

    name = forms.CharField(label=_("Họ và tên"), max_length=150)
    position = forms.CharField(label=_("Chức vụ"), max_length=300, required=False)
    role = forms.ChoiceField(label=_("Vai trò"), choices=MemberRole.choices)


class UnitAddForm(IdForm):
    ids = "unitadd_%s"

    code = UnitPickerField(label=_("Đơn vị"))


class OutlineForm(IdForm):
    ids = "outline_%s"

    file = forms.FileField(label=_("Tệp đề cương"), required=False)
    symbol = SymbolField(label=_("hoặc văn bản đề cương (số và ký hiệu)"), required=False)


class SelfReportForm(IdForm):
    ids = "selfreport_%s"

    submitted_on = DateField(label=_("Ngày gửi"))
    file = forms.FileField(label=_("Tệp báo cáo tự kiểm tra"))
    note = forms.CharField(label=_("Ghi chú"), widget=_textarea(2), required=False)


class PartChoiceForm(forms.Form):
    part = forms.TypedChoiceField(label=_("Đối tượng"), coerce=int)

    def __init__(self, *args, parts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].choices = [(p.pk, p.unit.name) for p in parts]


class FindingForm(PartChoiceForm):
    kind = forms.ChoiceField(label=_("Loại"), choices=FindingKind.choices)
    text = forms.CharField(label=_("Nội dung"), widget=_textarea(3))
    cause = forms.CharField(label=_("Nguyên nhân"), widget=_textarea(2), required=False)
    responsibility = forms.CharField(label=_("Trách nhiệm"), widget=_textarea(2), required=False)
    area = forms.CharField(label=_("Lĩnh vực"), max_length=200, required=False)


class RequestForm(PartChoiceForm):
    text = forms.CharField(label=_("Nội dung yêu cầu khắc phục"), widget=_textarea(3))
    deadline = DateField(label=_("Thời hạn"))
    owner = UnitPickerField(label=_("Đơn vị thực hiện (để trống: chính đối tượng)"), required=False)


class RecommendationForm(PartChoiceForm):
    text = forms.CharField(label=_("Nội dung kiến nghị"), widget=_textarea(3))


class ResponseForm(IdForm):
    ids = "response_%s"

    response = forms.CharField(label=_("Trả lời"), widget=_textarea(2))
    responded_on = DateField(label=_("Ngày trả lời"))
    version = VersionField()


class ActionPlanForm(IdForm):
    ids = "plan_%s"

    text = forms.CharField(label=_("Kế hoạch khắc phục"), widget=_textarea(4))
    symbol = SymbolField(
        label=_("Văn bản kế hoạch đã vào sổ (số và ký hiệu, nếu có)"), required=False
    )
    start_on = DateField(label=_("Bắt đầu thực hiện từ ngày"), required=False)
    version = VersionField()


class RemediationReportForm(IdForm):
    ids = "report_%s"

    reported_on = DateField(label=_("Ngày báo cáo"))
    text = forms.CharField(label=_("Kết quả khắc phục"), widget=_textarea(4))
    file = forms.FileField(label=_("Tài liệu minh chứng"), required=False)
    version = VersionField()


class EvaluationForm(IdForm):
    ids = "evaluation_%s"

    evaluated_on = DateField(label=_("Ngày đánh giá"))
    effective = forms.TypedChoiceField(
        label=_("Kết quả"),
        choices=(("1", _("Khắc phục có hiệu quả")), ("0", _("Chưa hiệu quả"))),
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Nhận xét"), widget=_textarea(2), required=False)
    version = VersionField()


class CloseForm(IdForm):
    ids = "close_%s"

    date = DateField(label=_("Ngày kết thúc"))
    version = VersionField()


class ProgrammeForm(VersionedForm):
    unit = UnitPickerField(label=_("Cấp ủy"))
    acting_body = UnitPickerField(label=_("Cơ quan giúp việc thực hiện (nếu có)"), required=False)
    year = forms.IntegerField(label=_("Năm"), min_value=1930, max_value=2200)
    title = forms.CharField(label=_("Tên chương trình"), max_length=500)
    symbol = SymbolField(label=_("Văn bản ban hành (số và ký hiệu, nếu có)"), required=False)
    note = forms.CharField(label=_("Ghi chú"), widget=_textarea(2), required=False)
    version = VersionField()

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:  # the committee is the programme's scope: it is not changed
            del self.fields["unit"]
        else:
            del self.fields["version"]


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False, max_length=200)
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=1930, max_value=2200)
    kind = forms.ChoiceField(
        label=_("Loại"), choices=[("", _("Tất cả"))] + list(InspectionKind.choices), required=False
    )
    state = forms.ChoiceField(
        label=_("Bước"), choices=[("", _("Tất cả"))] + list(State.choices), required=False
    )
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    finding = forms.ChoiceField(
        choices=[("", "")] + list(FindingKind.choices), required=False, widget=forms.HiddenInput
    )


STATUS_LABELS = {
    "pending": _("Chưa hoàn thành"),
    "overdue": _("Quá hạn"),
}


class RequestFilterForm(forms.Form):
    side = forms.ChoiceField(
        choices=[("", "")] + [(s, s) for s in SIDES], required=False, widget=forms.HiddenInput
    )
    status = forms.ChoiceField(label=_("Tình trạng"), required=False)
    q = forms.CharField(label=_("Tìm"), required=False, max_length=200)
    as_of = DateField(label=_("Tính đến ngày"), required=False)
    owner = forms.IntegerField(required=False, widget=forms.HiddenInput)
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    inspection = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from trienkhai.inspections.models import RequestState

        labels = {**STATUS_LABELS, **dict(RequestState.choices)}
        self.fields["status"].choices = [("", _("Tất cả"))] + [
            (s, labels[s]) for s in STATUS_FILTERS
        ]
