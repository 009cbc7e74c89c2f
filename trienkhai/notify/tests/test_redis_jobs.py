"""The Redis queue behind the same interface. Redis must be reachable (CI runs it): these
tests fail, never skip, when it is not."""

import datetime
import os
import uuid

import pytest

from trienkhai.core import jobs
from trienkhai.core.jobs.redis_backend import RedisBackend
from trienkhai.notify.tests import jobs_for_tests

URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
T0 = datetime.datetime(2026, 3, 10, 1, 0, tzinfo=datetime.UTC)


@pytest.fixture
def redis_backend(db):
    """A private prefix per test; `db` because a job failed for good is recorded there too."""
    backend = RedisBackend(URL, prefix=f"trienkhai-test:{uuid.uuid4().hex}:")
    assert backend.client.ping()  # no Redis: fail here, loudly
    jobs_for_tests.CALLS.clear()
    yield backend
    keys = list(backend.client.scan_iter(match=backend.prefix + "*"))
    if keys:
        backend.client.delete(*keys)


def test_enqueue_and_run(redis_backend):
    job_id = jobs.enqueue("test.record", _run_at=T0, _backend=redis_backend, who="Xã An")
    assert jobs.run_pending(now=T0, backend=redis_backend) == 1
    assert jobs_for_tests.CALLS == [("test.record", {"who": "Xã An"})]
    info = redis_backend.info(job_id)
    assert (info["state"], info["attempts"]) == ("done", 1)
    assert jobs.run_pending(now=T0, backend=redis_backend) == 0


def test_not_before_its_time(redis_backend):
    later = T0 + datetime.timedelta(minutes=5)
    jobs.enqueue("test.record", _run_at=later, _backend=redis_backend)
    assert jobs.run_pending(now=T0, backend=redis_backend) == 0
    assert jobs.run_pending(now=later, backend=redis_backend) == 1


def test_retry_with_backoff_then_failed(redis_backend, settings):
    settings.TRIENKHAI_JOB_MAX_ATTEMPTS = 2
    settings.TRIENKHAI_JOB_BACKOFF = 30
    job_id = jobs.enqueue("test.boom", _run_at=T0, _backend=redis_backend)
    assert jobs.run_pending(now=T0, backend=redis_backend) == 1
    info = redis_backend.info(job_id)
    assert (info["state"], info["attempts"]) == ("queued", 1)
    assert info["run_at"] == T0 + datetime.timedelta(seconds=30)
    assert "nổ: thử lỗi" in info["last_error"]
    assert jobs.run_pending(now=T0 + datetime.timedelta(seconds=29), backend=redis_backend) == 0
    assert jobs.run_pending(now=T0 + datetime.timedelta(seconds=30), backend=redis_backend) == 1
    info = redis_backend.info(job_id)
    assert (info["state"], info["attempts"]) == ("failed", 2)
    assert jobs.run_pending(now=T0 + datetime.timedelta(days=1), backend=redis_backend) == 0


def test_two_workers_never_claim_the_same_job(redis_backend):
    other = RedisBackend(URL, prefix=redis_backend.prefix)  # a second worker, own connection
    ids = {jobs.enqueue("test.record", _run_at=T0, _backend=redis_backend) for _ in range(10)}
    taken = []
    for _ in range(6):
        for backend in (redis_backend, other):
            claimed = backend.claim(T0)
            if claimed is not None:
                taken.append(claimed.id)
    assert sorted(taken) == sorted(ids)


def test_unique_key_enqueues_once(redis_backend):
    made = [
        redis_backend.enqueue("test.record", {}, run_at=T0, max_attempts=3, unique_key="daily:x")
        for _ in range(3)
    ]
    assert made[0] is not None and made[1:] == [None, None]


def test_the_schedule_is_idempotent_across_workers(redis_backend, settings):
    settings.TRIENKHAI_REMINDER_HOUR = 7
    settings.TRIENKHAI_PURGE_HOUR = 9
    settings.TRIENKHAI_RECURRENCE_HOUR = 9
    other = RedisBackend(URL, prefix=redis_backend.prefix)
    at_eight = datetime.datetime(2026, 3, 10, 1, 0, tzinfo=datetime.UTC)  # 08:00 local
    assert len(jobs.schedule_due(at_eight, backend=redis_backend)) == 1
    assert jobs.schedule_due(at_eight, backend=other) == []


def test_a_job_of_a_dead_worker_is_recovered(redis_backend, settings):
    settings.TRIENKHAI_JOB_LEASE = 600
    job_id = jobs.enqueue("test.record", _run_at=T0, _backend=redis_backend)
    assert redis_backend.claim(T0).id == job_id  # and the worker died
    assert jobs.run_pending(now=T0 + datetime.timedelta(seconds=599), backend=redis_backend) == 0
    assert jobs.run_pending(now=T0 + datetime.timedelta(seconds=601), backend=redis_backend) == 1
    assert redis_backend.info(job_id)["state"] == "done"


def test_the_setting_selects_redis(settings):
    settings.TRIENKHAI_JOB_BACKEND = "redis"
    settings.REDIS_URL = URL
    settings.TRIENKHAI_JOB_REDIS_PREFIX = f"trienkhai-test:{uuid.uuid4().hex}:"
    backend = jobs.get_backend()
    try:
        assert isinstance(backend, RedisBackend)
        job_id = jobs.enqueue("test.record", n=1)
        assert backend.info(job_id)["args"] == {"n": 1}
    finally:
        keys = list(backend.client.scan_iter(match=backend.prefix + "*"))
        backend.client.delete(*keys)
        settings.TRIENKHAI_JOB_BACKEND = "database"
        jobs.get_backend()
