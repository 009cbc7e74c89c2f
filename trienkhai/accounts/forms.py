"""Forms of the user and grant administration pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from trienkhai.accounts.models import Clearance, Role


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    password = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput, min_length=10)


class GrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    unit = forms.CharField(label=_("Mã đơn vị"), max_length=64)
    include_subtree = forms.BooleanField(
        label=_("Gồm cả đơn vị trực thuộc"), required=False, initial=True
    )
    clearance = forms.TypedChoiceField(
        label=_("Độ mật được xem"), choices=Clearance.choices, coerce=int, initial=0
    )
