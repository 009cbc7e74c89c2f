"""Forms of the guided flow that issues a plan (`views/issue.py`): the plan document and the
default assignment, the task rows (a formset), and the reading of rows pasted from a spreadsheet.

They parse shape only: the deadline text, the units' reach, the number's uniqueness and the
assignment rules are checked by the actions the flow calls (`actions/issue.py`).
"""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from trienkhai.core.api import IdField
from trienkhai.core.forms import DateField
from trienkhai.core.text import fold
from trienkhai.documents.models import DocType
from trienkhai.tracking.forms import SymbolField
from trienkhai.tree.kinds import COMMUNE_LEVEL, UnitKind
from trienkhai.units.picker import UnitPickerField

PLAN_TYPES = [
    (DocType.PLAN, _l("Kế hoạch (KH)")),
    (DocType.ACTION_PROGRAMME, _l("Chương trình hành động (CTr)")),
]

RULES = [
    ("commune", _l("Mọi đơn vị cấp xã (xã, phường, đặc khu)")),
    ("children", _l("Mọi đơn vị trực thuộc trực tiếp")),
    ("grassroots", _l("Mọi tổ chức cơ sở đảng")),
    ("kinds", _l("Các loại đơn vị chọn dưới đây")),
    ("units", _l("Các đơn vị chọn dưới đây")),
    ("none", _l("Chưa giao (chỉ ghi nhiệm vụ)")),
]
ROW_RULES = [("default", _l("Như cách giao chung"))] + RULES
KIND_GROUPS = {"commune": sorted(COMMUNE_LEVEL), "grassroots": [UnitKind.GRASSROOTS.value]}
ASSIGNABLE_KINDS = [
    (k.value, k.label)
    for k in UnitKind
    if k not in (UnitKind.CENTRAL, UnitKind.DISTRICT) and not k.value.endswith("commission")
]

# Columns of a pasted row, in order (DOMAIN §4, the "5 rõ").
PASTE_COLUMNS = ("title", "lead_unit", "cooperating", "deadline_text", "deliverable", "target")
# A heading row has a cell that is a column's name, not content.
_HEADINGS = frozenset(
    {"stt", "noi dung", "noi dung nhiem vu", "nhiem vu", "cong viec", "chu tri", "don vi chu tri"}
    | {"phoi hop", "don vi phoi hop", "thoi han", "san pham", "chi tieu"}
)
_TARGET = re.compile(r"^\s*(?P<value>[0-9][0-9.\s]*(?:,[0-9]+)?)\s*(?P<unit>.*)$")


class PlanDocumentForm(forms.Form):
    """The plan's document, what it implements, the default assignment and the obligation."""

    source = IdField(required=False, widget=forms.HiddenInput)
    implements_symbol = SymbolField(
        label=_l("Thực hiện văn bản (số và ký hiệu)"),
        max_length=100,
        required=False,
        help_text=_l("Văn bản gốc hoặc kế hoạch cấp trên, ví dụ 21-KL/TW."),
    )
    implements_date = DateField(label=_l("Ngày ban hành văn bản được thực hiện"), required=False)
    issuing_unit = UnitPickerField(label=_l("Đơn vị ban hành"), role="coordinator")
    doc_type = forms.ChoiceField(label=_l("Loại văn bản"), choices=PLAN_TYPES)
    symbol = SymbolField(
        label=_l("Số và ký hiệu"),
        max_length=100,
        help_text=_l("Đề xuất: số tiếp theo của đơn vị trong nhiệm kỳ; có thể sửa."),
    )
    term = forms.CharField(label=_l("Nhiệm kỳ, khóa"), max_length=32)
    date = DateField(label=_l("Ngày ban hành"))
    subject = forms.CharField(
        label=_l("Trích yếu"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    default_rule = forms.ChoiceField(
        label=_l("Giao các nhiệm vụ cho"), choices=RULES, initial="commune"
    )
    default_kinds = forms.MultipleChoiceField(
        label=_l("Loại đơn vị"),
        choices=ASSIGNABLE_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    default_units = UnitPickerField(label=_l("Đơn vị"), multiple=True, required=False)
    requires_plan = forms.BooleanField(
        label=_l("Yêu cầu đơn vị được giao ban hành kế hoạch (chương trình) thực hiện"),
        required=False,
        initial=True,
    )
    plan_due = DateField(label=_l("Ban hành trước ngày"), required=False)
    paste = forms.CharField(
        label=_l("Dán các dòng nhiệm vụ từ bảng tính"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_l(
            "Mỗi dòng một nhiệm vụ, các cột: nội dung; đơn vị chủ trì; đơn vị phối hợp; thời "
            "hạn (như văn bản ghi: quý III/2026, trước 30/6/2026); sản phẩm; chỉ tiêu."
        ),
    )

    def clean(self):
        data = super().clean()
        if not data.get("source") and not data.get("implements_symbol"):
            self.add_error(
                "implements_symbol",
                _("Hãy ghi số và ký hiệu văn bản (hoặc kế hoạch cấp trên) mà kế hoạch thực hiện."),
            )
        if data.get("requires_plan") and not data.get("plan_due"):
            self.add_error("plan_due", _("Hãy ghi hạn ban hành kế hoạch của cấp dưới."))
        return data


class TaskRowForm(forms.Form):
    """One task row. Every field is optional here: a blank row is skipped, a half-filled one is
    refused by the action with the row's number."""

    title = forms.CharField(
        label=_l("Nội dung nhiệm vụ"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    lead_unit = UnitPickerField(label=_l("Đơn vị chủ trì"), required=False)
    cooperating = UnitPickerField(label=_l("Đơn vị phối hợp"), multiple=True, required=False)
    deadline_text = forms.CharField(
        label=_l("Thời hạn"),
        required=False,
        max_length=100,
        help_text=_l("Như văn bản ghi: quý III/2026, trước 30/6/2026, hằng năm, thường xuyên…"),
    )
    deliverable = forms.CharField(label=_l("Sản phẩm"), required=False, max_length=2000)
    target = forms.CharField(
        label=_l("Chỉ tiêu"),
        required=False,
        max_length=80,
        help_text=_l("Ví dụ 100 %, 1.500 đảng viên."),
    )
    rule = forms.ChoiceField(label=_l("Giao cho"), choices=ROW_RULES, initial="default")
    kinds = forms.MultipleChoiceField(
        label=_l("Loại đơn vị"),
        choices=ASSIGNABLE_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    units = UnitPickerField(label=_l("Đơn vị"), multiple=True, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("use_required_attribute", False)
        super().__init__(*args, **kwargs)
        for name in ("lead_unit", "cooperating", "units"):
            self.fields[name].help_text = ""

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(
            (data.get(name) or "").strip()
            for name in ("title", "lead_unit", "cooperating", "deadline_text", "deliverable")
        ) and not any(data.get("target") or ())

    def clean_target(self):
        """ "100 %" → (100, "%"), "1.500 đảng viên" → (1500, "đảng viên"); text without a
        leading number is kept as the unit alone and refused by the action's number check."""
        text = (self.cleaned_data.get("target") or "").strip()
        if not text:
            return ("", "")
        match = _TARGET.match(text)
        if not match:
            raise forms.ValidationError(_("Chỉ tiêu phải bắt đầu bằng một số, ví dụ 100 %."))
        value = match["value"].replace(" ", "").replace(".", "").replace(",", ".")
        return (value, match["unit"].strip())


TaskRowFormSet = forms.formset_factory(
    TaskRowForm, extra=0, can_delete=True, max_num=200, validate_max=True
)


def _is_header(cells: list[str]) -> bool:
    return any(fold(c).strip(" .:") in _HEADINGS for c in cells)


def parse_paste(text: str) -> list[dict]:
    """Rows pasted from a spreadsheet (tab-separated) as row-form initial data; a heading row
    is skipped, a line without tabs is a task's content alone, quotes a cell may carry are
    dropped. Values are kept as typed: the flow's checks say what is wrong with each."""
    rows = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        cells = [c.strip().strip('"').strip() for c in line.split("\t")]
        if _is_header(cells):
            continue
        # "1. Tổ chức …" with a number column first: drop a leading number-only cell.
        if len(cells) > len(PASTE_COLUMNS) and re.fullmatch(r"[0-9.]*", cells[0]):
            cells = cells[1:]
        row = dict(zip(PASTE_COLUMNS, cells, strict=False))
        rows.append({k: v for k, v in row.items() if v})
    return rows
