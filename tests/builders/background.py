"""Tests of background tasks on RQ: a real Redis, a database number of its own, emptied.

`TRIENKHAI_TEST_REDIS_URL` (default redis://127.0.0.1:6379/14) names the Redis database the tests
own: it is emptied before and after each test that uses it, so it must hold nothing else, and one
test run at a time may use it. Redis unreachable fails the test, never skips it (CI runs Redis).
"""

import contextlib
import os

import pytest

TEST_REDIS_URL = os.environ.get("TRIENKHAI_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}


def redis_client(url: str = TEST_REDIS_URL):
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(f"Redis at {url} is unreachable: {exc}")
    return client


@contextlib.contextmanager
def rq_backend(settings, url: str = TEST_REDIS_URL):
    """Run tasks through RQ on the test Redis database for the duration of the block."""
    client = redis_client(url)
    client.flushdb()
    settings.RQ_QUEUES = {"default": {"URL": url, "DEFAULT_TIMEOUT": -1}}
    settings.TASKS = RQ_TASKS
    try:
        yield client
    finally:
        client.flushdb()
        client.close()
