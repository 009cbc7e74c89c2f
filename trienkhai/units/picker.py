"""The type-ahead unit picker: its widget, the reading of what was picked or typed, the search.

Nobody types a unit code. The field is one text input: with JavaScript (`unit_picker.js`) it is
an ARIA combobox over `units/pick/` and a picked unit is written as its label, "Xã Tuy Phong
(LDG-TP)", whose code in parentheses makes it unambiguous; without JavaScript a person types a
name ("xa tuy phong" is enough when one unit in reach matches) and the form resolves it. A field
of several units (`multiple=True`) holds labels or names separated by ";" (or "," or new lines);
the script shows them as removable chips. A code typed as such still resolves, so links and old
bookmarks keep working. Every look-up is scoped to the person's units for a role, in SQL.
"""

import re

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from trienkhai.core.text import fold, search_terms
from trienkhai.units.queries import visible_units

LIMIT = 15  # options the endpoint returns: enough to choose, small enough for a phone
_LABEL = re.compile(r"^(?P<name>.*\S)\s*\((?P<code>[^()]+)\)\s*$")
_SEPARATORS = re.compile(r"[;,\n\r\t]+")

HELP = _l("Gõ vài chữ của tên đơn vị, không cần dấu, rồi chọn trong danh sách.")
HELP_MANY = _l(
    "Gõ vài chữ của tên đơn vị, không cần dấu, rồi chọn; có thể chọn nhiều đơn vị "
    "(không có gợi ý thì ghi tên, cách nhau bởi dấu chấm phẩy)."
)


def unit_label(unit) -> str:
    """What a picked unit reads as in the field: its name, its code in parentheses."""
    return f"{unit.name} ({unit.code})"


def labels(units) -> str:
    return "; ".join(unit_label(u) for u in units)


def search(user, query: str, role: str = "viewer", *, kinds=(), limit: int = LIMIT):
    """Open units in the user's reach for `role` whose folded name, short name or code contain
    every term of `query` (diacritics ignored), the least deep first, at most `limit`."""
    terms = search_terms(query)
    if not terms:
        return []
    qs = visible_units(user, role).filter(valid_to__isnull=True)
    for term in terms:
        qs = qs.filter(name_folded__contains=term)
    if kinds:
        qs = qs.filter(kind__in=list(kinds))
    return list(qs.select_related("parent").order_by("depth", "name", "code")[:limit])


def resolve(user, text: str, role: str = "viewer"):
    """(unit, None) for a label, a code or a name that one unit in reach answers to; else
    (None, a message saying why). A unit outside the reach is answered like a missing one."""
    text = (text or "").strip()
    if not text:
        return None, _("Hãy chọn đơn vị.")
    scope = visible_units(user, role)
    labelled = _LABEL.match(text)
    code = labelled["code"].strip() if labelled else text
    unit = scope.filter(code=code).first()
    if unit is not None:
        return unit, None
    if labelled and " " not in code:
        # A picked label names its unit by code: never swap in a namesake the code is not.
        return None, _("Không tìm thấy đơn vị “%(text)s” trong phạm vi của bạn.") % {"text": text}
    name = text
    matches = search(user, name, role, limit=6)
    exact = [u for u in matches if fold(u.name) == fold(name)]
    if len(exact) == 1:
        return exact[0], None
    if len(matches) == 1:
        return matches[0], None
    if not matches:
        return None, _("Không tìm thấy đơn vị “%(text)s” trong phạm vi của bạn.") % {"text": text}
    shown = ", ".join(unit_label(u) for u in (exact or matches)[:5])
    return None, _(
        "“%(text)s” khớp nhiều đơn vị (%(units)s…): hãy chọn một đơn vị trong danh sách gợi ý."
    ) % {"text": text, "units": shown}


def split(text: str) -> list[str]:
    """The pieces of a several-units field, in order, without repeats."""
    out: list[str] = []
    for piece in _SEPARATORS.split(text or ""):
        piece = piece.strip()
        if piece and piece not in out:
            out.append(piece)
    return out


def resolve_many(user, text: str, role: str = "viewer"):
    """(units, messages) for a several-units field. A piece that is not a unit but whose words
    are each a code in reach ("C-1 C-2", the old way of typing codes) stands for those units."""
    units, errors = [], []
    for piece in split(text):
        unit, error = resolve(user, piece, role)
        if unit is None and " " in piece:
            words = piece.split()
            found = list(visible_units(user, role).filter(code__in=words))
            if len(found) == len(set(words)):
                units.extend(sorted(found, key=lambda u: words.index(u.code)))
                continue
        if unit is None:
            errors.append(error)
        elif unit not in units:
            units.append(unit)
    return units, errors


class UnitPicker(forms.TextInput):
    """A text input the script turns into a combobox of units (several with `multiple`)."""

    template_name = "units/widgets/unit_picker.html"

    def __init__(self, *, role: str = "viewer", multiple: bool = False, kinds=(), attrs=None):
        super().__init__(attrs)
        self.role = role
        self.multiple = multiple
        self.kinds = tuple(kinds)

    def format_value(self, value):
        if hasattr(value, "code") and hasattr(value, "name"):
            return unit_label(value)
        if isinstance(value, list | tuple):
            return labels(value)
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        query = f"?role={self.role}"
        if self.kinds:
            query += "&kinds=" + ",".join(self.kinds)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs.setdefault("autocomplete", "off")
        widget_attrs.setdefault("spellcheck", "false")
        widget_attrs["data-unit-picker"] = reverse("unit-pick") + query
        if self.multiple:
            widget_attrs["data-multiple"] = "1"
        context["widget"]["multiple"] = self.multiple
        return context


class UnitPickerField(forms.CharField):
    """A unit (or several) chosen with the picker; cleans to text, resolved by the view with
    `resolve`/`resolve_many` (it needs the person, which a field does not have)."""

    def __init__(self, *, role: str = "viewer", multiple: bool = False, **kwargs):
        kwargs.setdefault("max_length", 4000 if multiple else 400)
        kwargs.setdefault("help_text", HELP_MANY if multiple else HELP)
        kwargs.setdefault("widget", UnitPicker(role=role, multiple=multiple))
        super().__init__(**kwargs)


def picked_unit(user, text: str, role: str = "viewer"):
    """The unit a picker field names in the user's reach, else None (see `resolve`)."""
    return resolve(user, text, role)[0]
