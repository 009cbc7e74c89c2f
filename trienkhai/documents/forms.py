"""Forms of the document registry: filters, register/edit, relations and attachments.

Forms only read and validate input; every write goes through `documents.actions`.
"""

import datetime

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trienkhai.accounts.models import Clearance
from trienkhai.accounts.scope import max_clearance
from trienkhai.core.files import MAX_UPLOAD_BYTES
from trienkhai.core.forms import DateField
from trienkhai.documents.models import DocType, RelationKind, System, Urgency
from trienkhai.documents.numbering import InvalidDocumentNumber, parse_symbol
from trienkhai.units.picker import UnitPickerField, resolve, resolve_many

BLANK = [("", "—")]


class FilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Tìm kiếm"), required=False, max_length=200)
    doc_type = forms.ChoiceField(
        label=gettext_lazy("Loại"), required=False, choices=BLANK + DocType.choices
    )
    system = forms.ChoiceField(
        label=gettext_lazy("Hệ thống"), required=False, choices=BLANK + System.choices
    )
    unit = forms.CharField(label=gettext_lazy("Mã cơ quan ban hành"), required=False, max_length=64)
    year = forms.IntegerField(
        label=gettext_lazy("Năm"), required=False, min_value=1930, max_value=2200
    )
    date_from = DateField(label=gettext_lazy("Từ ngày"), required=False)
    date_to = DateField(label=gettext_lazy("Đến ngày"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each becomes a (name, bytes) pair for `actions.attach`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data] if data else []
        files = [super(MultipleFileField, self).clean(item, initial) for item in items]
        # Read one byte past the limit: enough for the action to refuse an oversize file
        # without holding all of it in memory.
        return [(f.name, f.read(MAX_UPLOAD_BYTES + 1)) for f in files if f]


def _clearance_choices(user):
    top = max_clearance(user)
    return [(value, label) for value, label in Clearance.choices if value <= top]


def parsed_symbol_or_error(text: str):
    """The parsed number, or a ValidationError carrying the parser's message (it names the part)."""
    try:
        return parse_symbol(text)
    except InvalidDocumentNumber as exc:
        raise forms.ValidationError(str(exc), code=f"symbol_{exc.part}") from exc


class DocumentFieldsForm(forms.Form):
    """The fields shared by registering and editing."""

    symbol = forms.CharField(
        label=gettext_lazy("Số và ký hiệu"),
        max_length=100,
        help_text=gettext_lazy("Như in trên văn bản, ví dụ 21-KL/TW, 283/KH-UBND."),
    )
    doc_type = forms.ChoiceField(label=gettext_lazy("Loại văn bản"), choices=DocType.choices)
    term = forms.CharField(
        label=gettext_lazy("Nhiệm kỳ, khóa"),
        max_length=32,
        help_text=gettext_lazy("Ví dụ XIII (Trung ương) hoặc 2020-2025."),
    )
    date = DateField(label=gettext_lazy("Ngày ban hành"))
    place = forms.CharField(label=gettext_lazy("Nơi ban hành"), max_length=100, required=False)
    subject = forms.CharField(
        label=gettext_lazy("Trích yếu"), widget=forms.Textarea(attrs={"rows": 3})
    )
    signer = forms.CharField(label=gettext_lazy("Người ký"), max_length=150, required=False)
    signer_position = forms.CharField(
        label=gettext_lazy("Chức vụ người ký"), max_length=150, required=False
    )
    authority = forms.CharField(
        label=gettext_lazy("Thẩm quyền ký"),
        max_length=32,
        required=False,
        help_text=gettext_lazy("T/M, K/T, T/L … để trống nếu ký trực tiếp."),
    )
    classification = forms.TypedChoiceField(
        label=gettext_lazy("Độ mật"), coerce=int, choices=Clearance.choices, initial=0
    )
    urgency = forms.ChoiceField(
        label=gettext_lazy("Độ khẩn"), choices=Urgency.choices, required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["classification"].choices = _clearance_choices(user)

    def clean_symbol(self):
        text = self.cleaned_data["symbol"].strip()
        parsed_symbol_or_error(text)
        return text

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date and date > datetime.date.today() + datetime.timedelta(days=1):
            raise forms.ValidationError(_("Ngày ban hành không thể ở tương lai."))
        return date

    def action_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "doc_type": data["doc_type"],
            "term": data["term"],
            "date": data["date"],
            "place": data["place"],
            "subject": data["subject"],
            "signer": data["signer"],
            "signer_position": data["signer_position"],
            "authority": data["authority"],
            "classification": data["classification"],
            "urgency": data["urgency"] or "",
        }


class RegisterForm(DocumentFieldsForm):
    issuing_unit = UnitPickerField(
        label=gettext_lazy("Cơ quan ban hành"),
        role="coordinator",
        help_text=gettext_lazy("Một đơn vị bạn điều phối: gõ vài chữ của tên, không cần dấu."),
    )
    co_issuers = UnitPickerField(
        label=gettext_lazy("Các cơ quan liên tịch"), multiple=True, required=False
    )
    attachments = MultipleFileField(label=gettext_lazy("Tệp đính kèm"))

    field_order = ["symbol", "doc_type", "issuing_unit", "co_issuers", "term", "date"]

    def clean_issuing_unit(self):
        unit, error = resolve(self.user, self.cleaned_data["issuing_unit"], "coordinator")
        if unit is None:
            raise forms.ValidationError(error)
        return unit

    def clean_co_issuers(self):
        units, errors = resolve_many(self.user, self.cleaned_data["co_issuers"])
        if errors:
            raise forms.ValidationError(errors)
        return units


class EditForm(DocumentFieldsForm):
    """Editing carries the `updated_at` the edit started from, so a later save by someone else
    is noticed instead of overwritten."""

    updated_at = forms.CharField(widget=forms.HiddenInput)

    def clean_updated_at(self):
        try:
            return datetime.datetime.fromisoformat(self.cleaned_data["updated_at"])
        except ValueError as exc:
            raise forms.ValidationError(_("Phiên bản văn bản không hợp lệ.")) from exc


class RelationForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Quan hệ"), choices=RelationKind.choices)
    symbol = forms.CharField(label=gettext_lazy("Số và ký hiệu văn bản liên quan"), max_length=100)
    date = DateField(
        label=gettext_lazy("Ngày ban hành (nếu trùng số)"),
        required=False,
    )

    def clean_symbol(self):
        return parsed_symbol_or_error(self.cleaned_data["symbol"].strip()).format()


class AttachForm(forms.Form):
    files = MultipleFileField(label=gettext_lazy("Tệp đính kèm"))

    def clean_files(self):
        files = self.cleaned_data["files"]
        if not files:
            raise forms.ValidationError(_("Hãy chọn ít nhất một tệp."))
        return files


class EdxmlImportForm(forms.Form):
    """A message from an e-office system (edXML), registered with its attachments."""

    file = forms.FileField(label=gettext_lazy("Tệp edXML"))
    issuing_unit = UnitPickerField(
        label=gettext_lazy("Cơ quan ban hành"),
        role="coordinator",
        help_text=gettext_lazy(
            "Đơn vị bạn điều phối đã ban hành văn bản (tên trong tệp edXML ở mục From)."
        ),
    )
    term = forms.CharField(
        label=gettext_lazy("Nhiệm kỳ, khóa"),
        max_length=32,
        help_text=gettext_lazy("edXML không ghi nhiệm kỳ, ví dụ XIII hoặc 2025-2030."),
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_issuing_unit(self):
        unit, error = resolve(self.user, self.cleaned_data["issuing_unit"], "coordinator")
        if unit is None:
            raise forms.ValidationError(error)
        return unit

    def clean_file(self):
        upload = self.cleaned_data["file"]
        from trienkhai.documents.edxml import MAX_BYTES

        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp edXML quá lớn (tối đa %(mb)s MB).") % {"mb": MAX_BYTES // (1024 * 1024)}
            )
        return upload
