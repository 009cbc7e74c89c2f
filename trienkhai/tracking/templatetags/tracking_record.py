"""`{% unit_explanations unit %}`: the unit's record of explanations on its page (the units app
owns the page and may not import tracking: its template loads this tag instead)."""

from django import template

from trienkhai.core.dates import today
from trienkhai.tracking.queries import ExplanationCounts, explanation_counts

register = template.Library()


@register.inclusion_tag("tracking/_unit_explanations.html", takes_context=True)
def unit_explanations(context, unit):
    user = context["request"].user
    day = today()
    own = explanation_counts(user, unit=unit, as_of=day, own=True).get(unit.path)
    below = explanation_counts(user, unit=unit, as_of=day).get(unit.path)
    return {"own": own or ExplanationCounts(), "below": below or ExplanationCounts(), "unit": unit}
