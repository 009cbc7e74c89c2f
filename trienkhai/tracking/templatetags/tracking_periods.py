"""`{{ occurrence|occurrence_label }}`: an occurrence's period named in the reader's language.

Pages never print the stored `Occurrence.label` (Vietnamese, written once); see
`tracking.deadlines.occurrence_label`.
"""

from django import template

from trienkhai.tracking.deadlines import occurrence_label as _occurrence_label

register = template.Library()


@register.filter
def occurrence_label(occurrence) -> str:
    if occurrence is None or occurrence == "":
        return ""
    return _occurrence_label(occurrence)
