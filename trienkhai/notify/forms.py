from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from trienkhai.notify.models import Delivery


class PreferenceForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("Nhận thông báo qua thư điện tử"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("Ngôn ngữ của thư và giao diện"), choices=settings.LANGUAGES
    )
