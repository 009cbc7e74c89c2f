"""From the change log to other systems: which events go where, signed, retried, logged.

Every logged write passes `recorded` (a `core.recorded` listener); when any subscription is
on, one task (`fan_out`) is queued after the commit for the whole batch. It matches each entry
against the subscriptions (the entry's unit within the subscription's unit, its action among
the chosen kinds), writes one `Delivery` per match (at most one per subscription and entry,
so a retried fan-out sends nothing twice) and queues `send` for each.

`send` POSTs the payload as JSON with

    X-Trienkhai-Event: tracking.report
    X-Trienkhai-Delivery: 1234
    X-Trienkhai-Signature: t=1733390000,v1=<hex HMAC-SHA256 of "t.body" with the secret>

and counts a 2xx as received. Anything else is tried again with the task queue's backoff
(TRIENKHAI_JOB_BACKOFF, doubled each time) up to TRIENKHAI_WEBHOOK_ATTEMPTS times, then the
delivery is marked failed; the subscription's page lists every delivery and its outcome.

The payload names the event, the record (type and id), the unit and the time, never the
record's content: the receiver reads that through the API with its own token, in its own scope
and clearance, so a webhook can never show more than its receiver may read.
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from trienkhai.core.background import job, outbox
from trienkhai.core.models import ChangeLogEntry
from trienkhai.units.models import Unit
from trienkhai.webhooks.addresses import check_url
from trienkhai.webhooks.models import Delivery, Subscription

log = logging.getLogger("trienkhai.webhooks")
TIMEOUT = 10  # seconds for the receiver to answer


def recorded(entries) -> None:
    """`core.recorded`: queue the fan-out of these entries when the action commits."""
    ids = [e.pk for e in entries if e.pk]
    if ids and Subscription.objects.filter(active=True).exists():
        transaction.on_commit(lambda: outbox.enqueue(fan_out, entry_ids=ids))


def payload_of(entry: ChangeLogEntry, unit: Unit | None) -> dict:
    content_type = ContentType.objects.get_for_id(entry.content_type_id)
    return {
        "event": entry.action,
        "occurred_at": entry.time.isoformat(),
        "object": {"type": f"{content_type.app_label}.{content_type.model}", "id": entry.object_id},
        "unit": {"id": unit.pk, "code": unit.code, "name": unit.name} if unit else None,
        "request_id": entry.request_id,
    }


@job()
def fan_out(entry_ids: list[int]) -> int:
    """One delivery per (matching subscription, entry); returns how many were queued."""
    subscriptions = list(Subscription.objects.filter(active=True).select_related("unit"))
    if not subscriptions:
        return 0
    entries = list(ChangeLogEntry.objects.filter(pk__in=entry_ids).order_by("pk"))
    units = Unit.objects.in_bulk({e.unit_id for e in entries if e.unit_id})
    queued = []
    for entry in entries:
        unit = units.get(entry.unit_id)
        for sub in subscriptions:
            inside = unit.path.startswith(sub.unit.path) if unit else sub.unit.parent_id is None
            if not (inside and sub.wants(entry.action)):
                continue
            delivery, created = Delivery.objects.get_or_create(
                subscription=sub,
                entry_id=entry.pk,
                defaults={"event": entry.action, "payload": payload_of(entry, unit)},
            )
            if created:
                queued.append(delivery.pk)
    for pk in queued:
        outbox.enqueue(send, delivery_id=pk)
    return len(queued)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a new address to post to."""

    def redirect_request(self, *args, **kwargs):
        return None


# No proxy from the environment, no redirects followed.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


class NotReceived(Exception):  # noqa: N818 - names what happened
    """The receiver did not take the delivery; the task is tried again later."""


@job(max_attempts=50)  # the delivery counts its own attempts (TRIENKHAI_WEBHOOK_ATTEMPTS)
def send(delivery_id: int) -> str:
    delivery = Delivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != Delivery.State.PENDING:
        return "nothing to send"
    sub = delivery.subscription
    body = json.dumps({"id": delivery.pk, **delivery.payload}, ensure_ascii=False).encode()
    stamp = int(time.time())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Trienkhai-Webhook/1",
        "X-Trienkhai-Event": delivery.event,
        "X-Trienkhai-Delivery": str(delivery.pk),
        "X-Trienkhai-Signature": signature(sub.secret, stamp, body),
    }
    status, error = None, ""
    try:
        check_url(sub.url)  # again at each send: a name may resolve elsewhere by now
        request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            sub.url, data=body, headers=headers, method="POST"
        )
        with _OPENER.open(request, timeout=TIMEOUT) as response:  # noqa: S310 - checked above
            status = response.status
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        error = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"[:500]
    if status is not None and not error and not 200 <= status < 300:
        error = f"HTTP {status}"
    attempts = delivery.attempts + 1
    now = timezone.now()
    if not error:
        Delivery.objects.filter(pk=delivery.pk).update(
            state=Delivery.State.OK,
            attempts=attempts,
            status_code=status,
            error="",
            last_attempt_at=now,
            delivered_at=now,
        )
        return "received"
    last = attempts >= settings.TRIENKHAI_WEBHOOK_ATTEMPTS or not sub.active
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.FAILED if last else Delivery.State.PENDING,
        attempts=attempts,
        status_code=status,
        error=error[:500],
        last_attempt_at=now,
    )
    if last:
        log.warning("webhook %s: delivery %s failed for good (%s)", sub.pk, delivery.pk, error)
        return "failed"
    raise NotReceived(error)
