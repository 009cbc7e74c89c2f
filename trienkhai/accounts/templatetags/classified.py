"""`{{ task|masked:"title" }}`: a field of a record, or the mask of a classified one.

The record must come annotated `readable` (`accounts.classified.restrict` or
`readable_prefetch`); see `accounts.classified.mask`.
"""

from django import template

from trienkhai.accounts.classified import mask

register = template.Library()


@register.filter
def masked(obj, path: str) -> str:
    return mask(obj, path)
