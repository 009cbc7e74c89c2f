"""Figures as a report prints them: thousands grouped, at most two decimals, none when whole
("1.234", "97,55" in Vietnamese), and a dash for a figure nobody has."""

from decimal import Decimal

from django.utils.formats import number_format


def figure_text(value) -> str:
    if value is None:
        return "—"
    q = Decimal(value).quantize(Decimal("0.01"))
    if q == q.to_integral_value():
        return number_format(int(q), force_grouping=True)
    return number_format(q.normalize(), force_grouping=True)
