"""The change log's filters."""

from django import forms

from trienkhai.core.forms import DateField


class LogFilterForm(forms.Form):
    user = forms.CharField(required=False, max_length=150)
    unit = forms.CharField(required=False, max_length=64)
    date_from = DateField(required=False)
    date_to = DateField(required=False)
