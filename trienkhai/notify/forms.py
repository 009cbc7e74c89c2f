from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from trienkhai.notify.models import Delivery


class PreferenceForm(forms.Form):
    email = forms.EmailField(
        label=_("Địa chỉ thư điện tử"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ (ví dụ: ten@vidu.vn).")},
    )
    delivery = forms.ChoiceField(
        label=_("Nhận thông báo qua thư điện tử"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("Ngôn ngữ của thư và giao diện"), choices=settings.LANGUAGES
    )
