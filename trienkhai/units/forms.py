"""Forms of the units interface: tree filters, reorganisations by code, the import upload."""

import datetime

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from trienkhai.core.dates import in_range
from trienkhai.core.forms import DateField
from trienkhai.units.picker import UnitPickerField, resolve, resolve_many

ISO_AND_VN_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


def parse_date(value: str | None) -> datetime.date | None:
    """A dd/mm/yyyy (or ISO) date from a query string; None when empty, malformed or outside
    the product's date range."""
    value = (value or "").strip()
    for fmt in ISO_AND_VN_FORMATS:
        try:
            date = datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        return date if in_range(date) else None
    return None


def unit_by_code(user, form, field: str, code: str, role: str = "viewer"):
    """The unit picked (or typed: its name, its code) in the user's reach for `role`; otherwise
    None, with the error on `field` (a unit outside the reach is answered exactly like one that
    does not exist)."""
    unit, error = resolve(user, code, role)
    if unit is None:
        form.add_error(field, error)
    return unit


def units_picked(user, form, field: str, text: str, role: str = "viewer"):
    """The units of a several-units picker field, or None with the errors on `field`."""
    units, errors = resolve_many(user, text, role)
    for error in errors:
        form.add_error(field, error)
    return None if errors else units


class TreeFilterForm(forms.Form):
    as_of = DateField(label=_l("Cây tổ chức tại ngày"), required=False)
    closed = forms.BooleanField(label=_l("Hiện cả đơn vị đã kết thúc"), required=False)
    q = forms.CharField(label=_l("Tìm đơn vị"), required=False, max_length=200)


class AsOfForm(forms.Form):
    as_of = DateField(label=_l("Xem tại ngày"), required=False)


class _UnitCodeMixin:
    """Turns a unit code typed by the user into a unit the user can see.

    Every reorganisation form also carries `confirm_backdated`: hidden until the action refuses
    a date too far back (`ask_backdate_confirmation`), then a checkbox under the warning.
    """

    def __init__(self, *args, user=None, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.unit = unit
        self.fields["confirm_backdated"] = forms.BooleanField(
            label=_l("Tôi xác nhận ghi lùi ngày hiệu lực"),
            required=False,
            widget=forms.HiddenInput,
        )
        if self.is_bound and self.data.get(self.add_prefix("confirm_backdated")) in ("on", "True"):
            # Confirmed once: keep showing the box, so it can be unticked.
            self.fields["confirm_backdated"].widget = forms.CheckboxInput()

    def ask_backdate_confirmation(self, message: str) -> None:
        """Show the confirmation box with the refusal's warning."""
        self.fields["confirm_backdated"].widget = forms.CheckboxInput()
        self.add_error("confirm_backdated", message)

    def _unit_by_code(self, field: str, required: bool = True):
        text = (self.cleaned_data.get(field) or "").strip()
        if not text:
            if required:
                raise forms.ValidationError(_("Hãy chọn đơn vị."))
            return None
        found, error = resolve(self.user, text)
        if found is None:
            raise forms.ValidationError(error)
        return found


class RenameForm(_UnitCodeMixin, forms.Form):
    name = forms.CharField(label=_l("Tên mới"), max_length=255)
    short_name = forms.CharField(label=_l("Tên ngắn mới"), max_length=100, required=False)
    date = DateField(label=_l("Ngày hiệu lực"))


class MoveForm(_UnitCodeMixin, forms.Form):
    parent_code = UnitPickerField(label=_l("Đơn vị cấp trên mới"))
    date = DateField(label=_l("Ngày hiệu lực"))

    def clean_parent_code(self):
        return self._unit_by_code("parent_code")


class MergeForm(_UnitCodeMixin, forms.Form):
    into_code = UnitPickerField(label=_l("Đơn vị kế thừa (hợp nhất vào)"))
    date = DateField(label=_l("Ngày hiệu lực"))
    note = forms.CharField(
        label=_l("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_into_code(self):
        return self._unit_by_code("into_code")


class SplitForm(_UnitCodeMixin, forms.Form):
    successors = forms.CharField(
        label=_l("Các đơn vị mới (mỗi dòng: mã; tên)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    work_to = forms.IntegerField(
        label=_l("Đơn vị nhận công việc (số thứ tự dòng)"), min_value=1, initial=1, required=False
    )
    date = DateField(label=_l("Ngày hiệu lực"))
    note = forms.CharField(
        label=_l("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_successors(self):
        specs = []
        for n, line in enumerate(self.cleaned_data["successors"].splitlines(), start=1):
            if not line.strip():
                continue
            sep = ";" if ";" in line else ("," if "," in line else None)
            parts = [p.strip() for p in line.split(sep, 1)] if sep else []
            if len(parts) != 2 or not all(parts):
                raise forms.ValidationError(
                    _("Dòng %(n)s: hãy ghi “mã; tên” của đơn vị mới.") % {"n": n}
                )
            specs.append({"code": parts[0], "name": parts[1]})
        if len(specs) < 2:
            raise forms.ValidationError(_("Chia tách cần ít nhất hai đơn vị kế thừa."))
        return specs

    def clean(self):
        data = super().clean()
        specs = data.get("successors") or []
        work_to = data.get("work_to") or 1
        if specs and work_to > len(specs):
            self.add_error("work_to", _("Chỉ có %(n)s đơn vị mới.") % {"n": len(specs)})
        data["work_to"] = work_to - 1
        return data


class DissolveForm(_UnitCodeMixin, forms.Form):
    successor_code = UnitPickerField(label=_l("Đơn vị kế thừa (nếu có)"), required=False)
    date = DateField(label=_l("Ngày hiệu lực"))
    note = forms.CharField(
        label=_l("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_successor_code(self):
        return self._unit_by_code("successor_code", required=False)


REORGANISATION_FORMS = {
    "rename": RenameForm,
    "move": MoveForm,
    "merge": MergeForm,
    "split": SplitForm,
    "dissolve": DissolveForm,
}


class ImportForm(forms.Form):
    file = forms.FileField(label=_l("Tệp CSV hoặc XLSX"))
