"""Redis down: a hand-off's task is kept in the database, never lost, and queued once Redis is
back; the metric says how many wait."""

import pytest
from django.test import Client

from tests.builders.background import RQ_TASKS
from trienkhai.core.background import outbox
from trienkhai.core.background.worker import run_pending, run_worker
from trienkhai.core.models import Outbox
from trienkhai.notify.handoffs import _enqueue, deliver
from trienkhai.notify.tests import jobs_for_tests
from trienkhai.notify.tests.jobs_for_tests import record_call

pytestmark = pytest.mark.django_db

DOWN = {"default": {"URL": "redis://127.0.0.1:1/0", "DEFAULT_TIMEOUT": -1}}


@pytest.fixture
def redis_down(settings):
    settings.TASKS = RQ_TASKS
    settings.RQ_QUEUES = DOWN
    jobs_for_tests.CALLS.clear()


def test_a_task_the_queue_refuses_is_kept(redis_down):
    assert outbox.enqueue(record_call, who="Xã An") is None
    (row,) = Outbox.objects.all()
    assert row.task_path == "trienkhai.notify.tests.jobs_for_tests.record_call"
    assert row.kwargs == {"who": "Xã An"}
    assert "Connection" in row.error


def test_a_hand_off_survives_redis_down_and_runs_once_it_is_back(redis_down, settings, rq_tasks):
    # rq_tasks points RQ at the tests' Redis; point it away again for the outage.
    settings.RQ_QUEUES = DOWN
    _enqueue(entry_id=987654)
    assert Outbox.objects.filter(task_path=f"{deliver.func.__module__}.deliver").count() == 1
    # Still down: the pass keeps the row.
    assert outbox.flush() == 0
    assert Outbox.objects.count() == 1
    from tests.builders.background import TEST_REDIS_URL

    settings.RQ_QUEUES = {"default": {"URL": TEST_REDIS_URL, "DEFAULT_TIMEOUT": -1}}
    import django_rq

    queue = django_rq.get_queue("default")
    before = queue.count
    assert outbox.flush() == 1
    assert Outbox.objects.count() == 0
    assert queue.count == before + 1
    assert run_pending() >= 1  # the delivery runs (an unknown entry: nothing to tell)


def test_worker_pass_flushes_the_outbox(settings, rq_tasks):
    settings.TASKS = RQ_TASKS
    Outbox.objects.create(
        task_path="trienkhai.notify.tests.jobs_for_tests.record_call", kwargs={"who": "Xã Bình"}
    )
    jobs_for_tests.CALLS.clear()
    run_worker(once=True)
    assert Outbox.objects.count() == 0
    assert ("record", {"who": "Xã Bình"}) in jobs_for_tests.CALLS


def test_the_metric_counts_what_waits(redis_down):
    outbox.enqueue(record_call, who="a")
    outbox.enqueue(record_call, who="b")
    text = Client().get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert "trienkhai_tasks_outbox 2.0" in text
