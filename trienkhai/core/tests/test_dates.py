"""The one date range: the form field, the API field and filter, and the action check all
answer from `core.dates`, with a message naming the range; settings move the range."""

import datetime

import pytest
from django import forms as django_forms
from rest_framework import serializers

from trienkhai.core import api, dates, forms
from trienkhai.core.actions import ActionError

D = datetime.date


@pytest.mark.parametrize("typed", ["01/01/0001", "31/12/9999", "31/12/1929", "01/01/2101"])
def test_the_form_field_refuses_a_date_out_of_range(typed):
    with pytest.raises(django_forms.ValidationError) as exc:
        forms.DateField().clean(typed)
    assert "từ 01/01/1930 đến 31/12/2100" in exc.value.messages[0]
    assert typed in exc.value.messages[0]


@pytest.mark.parametrize(
    ("typed", "day"), [("01/01/1930", D(1930, 1, 1)), ("2100-12-31", D(2100, 12, 31))]
)
def test_the_form_field_accepts_both_ends(typed, day):
    assert forms.DateField().clean(typed) == day


@pytest.mark.parametrize("raw", ["0001-01-01", "9999-12-31", "01/01/0001"])
def test_the_api_field_and_filter_refuse_a_date_out_of_range(raw):
    with pytest.raises(serializers.ValidationError) as exc:
        api.DateField().run_validation(raw)
    assert "từ 01/01/1930 đến 31/12/2100" in str(exc.value.detail[0])
    field = api.DateFilter().field
    with pytest.raises(django_forms.ValidationError):
        field.clean(raw)


def test_the_api_field_keeps_its_own_validators():
    def no_sundays(value):
        if value.weekday() == 6:
            raise serializers.ValidationError("sunday")

    field = api.DateField(validators=[no_sundays])
    assert field.run_validation("2025-07-05") == D(2025, 7, 5)
    with pytest.raises(serializers.ValidationError):
        field.run_validation("2025-07-06")
    with pytest.raises(serializers.ValidationError):
        field.run_validation("0001-01-01")


def test_actions_check_names_the_field():
    assert dates.check_date(None, "date") is None
    assert dates.check_date(D(2025, 7, 1), "date") == D(2025, 7, 1)
    with pytest.raises(ActionError) as exc:
        dates.check_dates(start=D(2025, 1, 1), end=D(9999, 12, 31))
    assert exc.value.field == "end" and "31/12/9999" in str(exc.value.message)
    with pytest.raises(ActionError) as exc:
        dates.check_year(9999, "year")
    assert exc.value.field == "year" and "1930" in str(exc.value.message)


def test_settings_move_the_range(settings):
    settings.TRIENKHAI_DATE_MIN = "2000-01-01"
    settings.TRIENKHAI_DATE_MAX = datetime.date(2050, 12, 31)
    assert dates.bounds() == (D(2000, 1, 1), D(2050, 12, 31))
    with pytest.raises(django_forms.ValidationError) as exc:
        forms.DateField().clean("31/12/1999")
    assert "từ 01/01/2000 đến 31/12/2050" in exc.value.messages[0]


def test_backdated_means_more_than_the_setting_days_ago(settings):
    today = D(2026, 3, 31)
    assert not dates.is_backdated(D(2026, 3, 1), today)  # 30 days: still a short while
    assert dates.is_backdated(D(2026, 2, 28), today)
    settings.TRIENKHAI_BACKDATE_CONFIRM_DAYS = 90
    assert not dates.is_backdated(D(2026, 2, 28), today)
