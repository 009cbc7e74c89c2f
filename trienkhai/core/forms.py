"""Shared form pieces: dd/mm/yyyy dates inside the product's date range, and the version an
edit page started from."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from trienkhai.core.dates import validate_date


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off", **(attrs or {})},
            format="%d/%m/%Y",
        )


class DateField(forms.DateField):
    """A date typed dd/mm/yyyy (or ISO), refused outside `core.dates.bounds()`."""

    widget = DateInput
    default_validators = [validate_date]

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"])
        super().__init__(**kwargs)


class VersionField(forms.IntegerField):
    """The `version` of the record when its edit page was loaded, sent back with the edit.

    Required on every edit of a versioned record: without it the save could not tell whether
    someone else saved in between, and the last writer would silently win. A page that also
    creates records turns it off for creation (`required = False`)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**31 - 1)
        kwargs.setdefault(
            "error_messages",
            {"required": _("Trang này đã cũ hoặc thiếu phiên bản của bản ghi. Hãy tải lại trang.")},
        )
        super().__init__(**kwargs)


class VersionedForm(forms.Form):
    """A form that carries hidden fields such as the `VersionField`: their errors are shown with
    the form's own errors, since a hidden field has no place on the page to print them."""

    def _post_clean(self):
        super()._post_clean()
        for name, field in self.fields.items():
            if field.widget.is_hidden and name in self._errors:
                errors = self._errors.pop(name)
                top = self._errors.setdefault(
                    NON_FIELD_ERRORS,
                    self.error_class(error_class="nonfield", renderer=self.renderer),
                )
                top.extend(errors)


def form_error(form, exc, field_map=None) -> None:
    """Show an action's refusal on the field it names (`field_map` renames the action's field
    to the form's), or above the form when the form has no such field."""
    field = getattr(exc, "field", None)
    field = (field_map or {}).get(field, field)
    form.add_error(field if field in form.fields else None, str(getattr(exc, "message", exc)))


def answer_status(request, conflict=None) -> int:
    """The status of a form page: 409 when someone saved the record first (their values are
    shown beside this person's input), 400 for a submission that was refused, 200 otherwise."""
    if conflict:
        return 409
    return 400 if request.method == "POST" else 200
