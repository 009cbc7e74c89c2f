"""Forms of the user and grant administration pages."""

from django import forms
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from trienkhai.accounts.models import Clearance, Role


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    password = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput, min_length=10)


class GrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    # The units app's picker (its script finds the data attribute); accounts stand below it.
    unit = forms.CharField(
        label=_("Đơn vị"),
        max_length=400,
        widget=forms.TextInput(
            attrs={
                "data-unit-picker": format_lazy("{}?role=administrator", reverse_lazy("unit-pick")),
                "autocomplete": "off",
            }
        ),
        help_text=_("Gõ vài chữ của tên đơn vị, không cần dấu, rồi chọn trong danh sách."),
    )
    include_subtree = forms.BooleanField(
        label=_("Gồm cả đơn vị trực thuộc"), required=False, initial=True
    )
    clearance = forms.TypedChoiceField(
        label=_("Độ mật được xem"), choices=Clearance.choices, coerce=int, initial=0
    )


class PasswordChangeForm(forms.Form):
    """The new password is checked by `AUTH_PASSWORD_VALIDATORS` in the action."""

    old_password = forms.CharField(
        label=_("Mật khẩu hiện tại"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("Mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_again = forms.CharField(
        label=_("Nhập lại mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("new_password")
            and data.get("new_password_again") is not None
            and data["new_password"] != data["new_password_again"]
        ):
            self.add_error("new_password_again", _("Hai lần nhập mật khẩu mới không khớp."))
        return data
