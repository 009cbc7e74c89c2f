"""Shared form pieces: dd/mm/yyyy dates, inside the product's date range."""

from django import forms

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


class LogFilterForm(forms.Form):
    user = forms.CharField(required=False, max_length=150)
    unit = forms.CharField(required=False, max_length=64)
    date_from = DateField(required=False)
    date_to = DateField(required=False)
