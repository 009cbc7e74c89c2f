"""The select boxes written in Python are byte for byte what Django's templates write."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import override_settings

from trienkhai.core.renderer import FormRenderer


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=[("", "Mọi văn bản"), ("1", "21-KL/TW"), ("2", '<b>&"')])
    grouped = forms.ChoiceField(
        choices=[
            ("Tỉnh", [("10", "Lâm Đồng"), ("11", "Quảng Ninh")]),
            ("x", "Khác"),
        ],
        required=False,
    )
    many = forms.MultipleChoiceField(choices=[(1, "một"), (2, "hai"), (3, "ba")], required=False)
    flagged = forms.ChoiceField(
        choices=[("a", "A")],
        widget=forms.Select(attrs={"disabled": True, "hidden": False, "data-x": '"q"'}),
    )


def _html(renderer, data):
    form = Sample(data, renderer=renderer)
    return [str(form[name]) for name in ("plain", "grouped", "many", "flagged")]


def test_select_boxes_match_django_templates():
    for data in (None, {"plain": "2", "grouped": "11", "many": ["1", "3"], "flagged": "a"}):
        ours = _html(FormRenderer(), data)
        theirs = _html(DjangoTemplates(), data)
        assert ours == theirs
    # Something was selected and escaped, so the comparison above covered those paths.
    selected = _html(FormRenderer(), {"plain": "2", "grouped": "11", "many": ["1", "3"]})
    assert 'value="2" selected' in selected[0] and "&lt;b&gt;&amp;&quot;" in selected[0]
    assert '<optgroup label="Tỉnh">' in selected[1] and 'value="11" selected' in selected[1]
    assert selected[2].count("selected") == 2


class Custom(forms.Select):
    option_template_name = "django/forms/widgets/input_option.html"


@override_settings(FORM_RENDERER="trienkhai.core.renderer.FormRenderer")
def test_an_option_with_its_own_template_goes_through_the_templates():
    field = forms.ChoiceField(choices=[("a", "A")], widget=Custom)
    html = field.widget.render("f", "a", renderer=FormRenderer())
    assert html == field.widget.render("f", "a", renderer=DjangoTemplates())
    assert "<option" not in html  # the option's own template was used
