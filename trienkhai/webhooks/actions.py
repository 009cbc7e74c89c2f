"""Writes on webhook subscriptions: checked (the actor administers the unit), logged."""

from django.db import transaction
from django.utils.translation import gettext as _

from trienkhai.accounts.scope import administers
from trienkhai.core.actions import ActionError, PermissionRefused, record
from trienkhai.core.background import outbox
from trienkhai.webhooks import events
from trienkhai.webhooks.addresses import RefusedAddress, check_url
from trienkhai.webhooks.models import Delivery, Subscription


def _require_admin(actor, unit) -> None:
    if not administers(actor, unit, True):
        raise PermissionRefused(_("Bạn không quản trị đơn vị này."))


@transaction.atomic
def subscribe(actor, *, unit, name: str, url: str, events_: list[str]) -> Subscription:
    _require_admin(actor, unit)
    try:
        check_url(url)
    except RefusedAddress as exc:
        raise ActionError(str(exc), field="url") from exc
    sub = Subscription.objects.create(
        unit=unit, name=name.strip()[:200], url=url, events=sorted(set(events_)), created_by=actor
    )
    record(
        actor,
        "webhooks.subscribe",
        sub,
        unit=unit,
        after={"name": sub.name, "url": sub.url, "events": sub.events},
    )
    return sub


@transaction.atomic
def set_active(actor, sub: Subscription, active: bool) -> None:
    _require_admin(actor, sub.unit)
    if sub.active == active:
        return
    Subscription.objects.filter(pk=sub.pk).update(active=active)
    record(
        actor,
        "webhooks.set_active",
        sub,
        unit=sub.unit,
        before={"active": sub.active},
        after={"active": active},
    )
    sub.active = active


def ping(actor, sub: Subscription) -> Delivery:
    """A test event, to check the receiver and its signature check."""
    _require_admin(actor, sub.unit)
    delivery = Delivery.objects.create(
        subscription=sub,
        event="webhooks.ping",
        payload={
            "event": "webhooks.ping",
            "unit": {"id": sub.unit_id, "code": sub.unit.code, "name": sub.unit.name},
        },
    )
    transaction.on_commit(lambda: outbox.enqueue(events.send, delivery_id=delivery.pk))
    return delivery


def retry_failed(actor, sub: Subscription) -> int:
    """Send the failed deliveries again, each from a fresh count of attempts."""
    _require_admin(actor, sub.unit)
    ids = list(sub.deliveries.filter(state=Delivery.State.FAILED).values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids).update(state=Delivery.State.PENDING, attempts=0)
    for pk in ids:
        transaction.on_commit(lambda pk=pk: outbox.enqueue(events.send, delivery_id=pk))
    return len(ids)
