"""`{% bar_chart rows title as svg %}`: the roll-up's bar chart, drawn by `charts.stacked_bars`.

A tag rather than a context variable so that the view hands over figures only and the template
decides where the chart goes (the shapes are written in Python for speed: see `charts`).
"""

from django import template

from trienkhai.tracking.charts import stacked_bars

register = template.Library()


@register.simple_tag
def bar_chart(rows, title) -> str:
    return stacked_bars(rows, title=title)
