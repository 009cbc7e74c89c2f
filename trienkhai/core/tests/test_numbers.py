"""The fast integer formatter agrees with Django's localization in both languages."""

import pytest
from django.template import Context, Template
from django.utils import translation

from trienkhai.core.numbers import int_formatter


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("n", [0, 7, 999, 1000, 15500, 356682, 2937977, -1234])
def test_same_text_as_the_template_engine(lang, n):
    with translation.override(lang):
        assert int_formatter()(n) == Template("{{ n }}").render(Context({"n": n}))


def test_separators_differ_by_language():
    with translation.override("vi"):
        assert int_formatter()(15500) == "15.500"
    with translation.override("en"):
        assert int_formatter()(15500) == "15,500"
