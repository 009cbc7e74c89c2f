"""Webhooks: a logged write reaches the subscriptions of its subtree and kinds, signed; a
receiver that fails is tried again with backoff, then the delivery is marked failed; the
payload never carries the record's content; addresses of this machine are refused."""

import datetime
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from tests.builders import bulk, factories
from trienkhai.accounts.models import Role
from trienkhai.core.actions import ActionError
from trienkhai.core.background.worker import run_pending
from trienkhai.core.models import ChangeLogEntry
from trienkhai.webhooks import actions, events
from trienkhai.webhooks.models import Delivery

pytestmark = pytest.mark.django_db


class Receiver:
    """An HTTP server on loopback that answers each POST with the next status of `answers`."""

    def __init__(self, answers=(200,)):
        self.answers = list(answers)
        self.received: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                status = (
                    receiver.answers.pop(0) if len(receiver.answers) > 1 else receiver.answers[0]
                )
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def receiver(settings):
    settings.TRIENKHAI_WEBHOOK_ALLOW_LOOPBACK = True
    settings.TRIENKHAI_JOB_BACKOFF = 0  # retries due at once
    made = []

    def make(answers=(200,)):
        r = Receiver(answers)
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()


@pytest.fixture
def world(tree):
    admin = factories.user("quantri-a", (Role.ADMINISTRATOR, tree["prov_a"]))
    reporter = factories.user("baocao-a", (Role.REPORTER, tree["prov_a"], False))
    directive = bulk.directive(tree["root"])
    plan = bulk.plan(directive, tree["root"])
    task, occurrence = bulk.task(plan, due=datetime.date(2030, 12, 31))
    (assignment,) = bulk.assign(task, occurrence, [tree["prov_a"]], dates=lambda u: (None, None))
    return {**tree, "admin": admin, "reporter": reporter, "assignment": assignment}


def _report(world, capture, narrative="Bí mật nội bộ: đã họp chi bộ"):
    from trienkhai.tracking.actions.reports import report_progress

    with capture(execute=True):
        report_progress(
            world["reporter"],
            world["assignment"],
            reported_on=datetime.date(2026, 12, 1),
            percent=30,
            done=False,
            narrative=narrative,
        )


def _verify(secret: str, headers: dict, body: bytes) -> bool:
    parts = dict(p.split("=", 1) for p in headers["X-Trienkhai-Signature"].split(","))
    mac = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(mac.hexdigest(), parts["v1"])


def test_a_report_reaches_its_subscription_signed_without_its_content(
    world, receiver, django_capture_on_commit_callbacks
):
    r = receiver()
    sub = actions.subscribe(
        world["admin"],
        unit=world["prov_a"],
        name="Hệ thống văn phòng điện tử",
        url=r.url,
        events_=["tracking."],
    )
    _report(world, django_capture_on_commit_callbacks)
    run_pending()  # the fan-out, then the sends it queued
    run_pending()
    logged = list(ChangeLogEntry.objects.filter(action__startswith="tracking."))
    assert len(r.received) == len(logged) >= 1  # one per logged change of the report
    headers, body = next(x for x in r.received if x[0]["X-Trienkhai-Event"] == "tracking.report")
    assert _verify(sub.secret, headers, body)
    assert not _verify("another-secret", headers, body)
    payload = json.loads(body)
    assert payload["event"] == "tracking.report"
    assert payload["unit"]["code"] == world["prov_a"].code
    assert "Bí mật" not in body.decode() and "narrative" not in body.decode()
    assert {(d.state, d.attempts) for d in Delivery.objects.all()} == {(Delivery.State.OK, 1)}


def test_other_subtrees_and_kinds_get_nothing(world, receiver, django_capture_on_commit_callbacks):
    r = receiver()
    admin_b = factories.user("quantri-b", (Role.ADMINISTRATOR, world["prov_b"]))
    actions.subscribe(admin_b, unit=world["prov_b"], name="B", url=r.url, events_=[])
    actions.subscribe(
        world["admin"], unit=world["prov_a"], name="A", url=r.url, events_=["reports."]
    )
    _report(world, django_capture_on_commit_callbacks)
    run_pending()
    run_pending()
    assert r.received == [] and not Delivery.objects.exists()


def test_a_failing_receiver_is_tried_again_then_the_delivery_fails(
    world, receiver, settings, django_capture_on_commit_callbacks
):
    settings.TRIENKHAI_WEBHOOK_ATTEMPTS = 3
    r = receiver(answers=(500, 503, 500, 200))
    sub = actions.subscribe(world["admin"], unit=world["prov_a"], name="A", url=r.url, events_=[])
    _report(world, django_capture_on_commit_callbacks)
    for _ in range(6):
        run_pending()
    delivery = Delivery.objects.get(event="tracking.report")
    Delivery.objects.exclude(pk=delivery.pk).delete()  # follow the report's own delivery
    assert [delivery.state, delivery.attempts] == ["failed", 3]
    assert delivery.status_code == 500 and delivery.error == "HTTP 500"
    # The administrator sends it again: the receiver now takes it.
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.retry_failed(world["admin"], sub) == 1
    run_pending()
    delivery.refresh_from_db()
    assert delivery.state == "ok" and delivery.attempts == 1


def test_a_fan_out_run_twice_sends_each_event_once(
    world, receiver, django_capture_on_commit_callbacks
):
    r = receiver()
    actions.subscribe(world["admin"], unit=world["prov_a"], name="A", url=r.url, events_=[])
    _report(world, django_capture_on_commit_callbacks)
    ids = list(ChangeLogEntry.objects.values_list("pk", flat=True))
    events.fan_out.enqueue(entry_ids=ids)
    events.fan_out.enqueue(entry_ids=ids)
    for _ in range(3):
        run_pending()
    assert Delivery.objects.count() == len(r.received) >= 1
    assert len({body for _h, body in r.received}) == len(r.received)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000/metrics", "http://169.254.169.254/latest/", "ftp://example.vn/x"],
)
def test_addresses_of_this_machine_are_refused(world, url):
    with pytest.raises(ActionError):
        actions.subscribe(world["admin"], unit=world["prov_a"], name="x", url=url, events_=[])
    assert not world["admin"].is_superuser


def test_the_pages_are_for_the_units_administrators(client, world, receiver):
    r = receiver()
    client.force_login(world["admin"])
    response = client.post(
        reverse("webhook-list"),
        {"name": "VPĐT tỉnh", "url": r.url, "unit": world["prov_a"].code, "events": ["tracking."]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and "VPĐT tỉnh" in detail.content.decode()
    sub_url = response["Location"]
    # Another province's administrator, and a reporter, see none of it.
    client.force_login(factories.user("quantri-b2", (Role.ADMINISTRATOR, world["prov_b"])))
    assert client.get(sub_url).status_code == 404
    assert "VPĐT tỉnh" not in client.get(reverse("webhook-list")).content.decode()
    client.force_login(world["reporter"])
    assert client.get(reverse("webhook-list")).status_code == 404
    # Outside the administrator's units: refused with a message, nothing stored.
    client.force_login(world["admin"])
    bad = client.post(
        reverse("webhook-list"),
        {"name": "x", "url": r.url, "unit": world["prov_b"].code, "events": []},
    )
    assert bad.status_code == 400 and "phạm vi bạn quản trị" in bad.content.decode()
