"""`{{ n|figure }}`: a report's figure the way the reports print it (reports.numbers)."""

from django import template

from trienkhai.reports.numbers import figure_text

register = template.Library()


@register.filter
def figure(value) -> str:
    return figure_text(value)


@register.filter
def figure_input(value) -> str:
    """A figure as typed back into its field: no grouping, a comma for decimals."""
    if value is None:
        return ""
    text = format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
    return text.replace(".", ",")
