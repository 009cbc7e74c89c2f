"""Reads: the subscriptions an administrator manages (scoped in SQL by administrator grants)."""

from trienkhai.accounts.scope import unit_scope
from trienkhai.webhooks.models import Subscription

DELIVERIES_SHOWN = 50


def managed(user):
    return Subscription.objects.filter(
        unit_scope(user, "unit", role="administrator")
    ).select_related("unit")
