"""`user|administers_users`: whether the menu links the user administration (administrators)."""

from django import template

from trienkhai.accounts.permissions import administers_someone

register = template.Library()


@register.filter
def administers_users(user) -> bool:
    return administers_someone(user)
