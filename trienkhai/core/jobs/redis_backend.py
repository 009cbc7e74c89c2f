"""The production queue in Redis (`TRIENKHAI_JOB_BACKEND=redis`, `REDIS_URL`).

Layout under a prefix P: `P queue` is a sorted set of job ids scored by run time, `P running`
a sorted set scored by the end of each job's lease (renewed by its worker while the job runs;
once it has passed, the worker is presumed dead and the job is queued again), `P job:<id>` a hash
with the job's fields, `P unique:<key>` a marker set with NX for once-only enqueues. Claiming is
one Lua script, atomic in Redis, so two workers never take the same id.

A job that fails for good is also written to the database as a `notify.Job` row in state
"failed" with its Redis id (`redis_id`): Redis only keeps it for a few weeks and offers no
listing, while the operators' page (failed jobs, retry, discard) reads the database, so it works
the same with either backend. Retrying such a row queues a fresh job here.
"""

import datetime
import json

from django.conf import settings
from django.utils import timezone

from trienkhai.core.jobs.base import Backend, Claimed, lease_of, worker_token

KEEP_FINISHED = 7 * 24 * 3600
KEEP_UNIQUE = 8 * 24 * 3600

_CLAIM = """
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
if #ids == 0 then return false end
local id = ids[1]
redis.call('ZREM', KEYS[1], id)
redis.call('ZADD', KEYS[2], ARGV[2], id)
local h = ARGV[3] .. id
redis.call('HINCRBY', h, 'attempts', 1)
redis.call('HSET', h, 'state', 'running', 'started_at', ARGV[1], 'worker', ARGV[4])
local f = redis.call('HMGET', h, 'name', 'args', 'attempts', 'max_attempts')
return {id, f[1], f[2], f[3], f[4]}
"""

_RENEW = """
if redis.call('HGET', KEYS[2], 'worker') ~= ARGV[2] then return 0 end
if not redis.call('ZSCORE', KEYS[1], ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], 'XX', ARGV[1], ARGV[3])
return 1
"""

_RECOVER = """
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[1], id)
  redis.call('ZADD', KEYS[2], ARGV[1], id)
  redis.call('HSET', ARGV[2] .. id, 'state', 'queued')
end
return #ids
"""


def _ts(moment: datetime.datetime) -> float:
    return moment.timestamp()


class RedisBackend(Backend):
    def __init__(self, url: str | None = None, prefix: str | None = None):
        import redis

        self.client = redis.Redis.from_url(url or settings.REDIS_URL, decode_responses=True)
        self.prefix = prefix if prefix is not None else settings.TRIENKHAI_JOB_REDIS_PREFIX
        self._claim = self.client.register_script(_CLAIM)
        self._recover = self.client.register_script(_RECOVER)
        self._renew = self.client.register_script(_RENEW)

    def _k(self, name: str) -> str:
        return self.prefix + name

    def enqueue(self, name, args, *, run_at, max_attempts, unique_key=None):
        if unique_key is not None:
            fresh = self.client.set(self._k("unique:" + unique_key), "1", nx=True, ex=KEEP_UNIQUE)
            if not fresh:
                return None
        job_id = str(self.client.incr(self._k("seq")))
        pipe = self.client.pipeline()
        pipe.hset(
            self._k("job:" + job_id),
            mapping={
                "name": name,
                "args": json.dumps(args),
                "state": "queued",
                "attempts": 0,
                "max_attempts": max_attempts,
                "last_error": "",
                "run_at": _ts(run_at),
                "created_at": _ts(timezone.now()),
            },
        )
        pipe.zadd(self._k("queue"), {job_id: _ts(run_at)})
        pipe.execute()
        return job_id

    def claim(self, now, lease=None):
        worker = worker_token()
        row = self._claim(
            keys=[self._k("queue"), self._k("running")],
            args=[_ts(now), _ts(now + lease_of(lease)), self._k("job:"), worker],
        )
        if not row:
            return None
        job_id, name, args, attempts, max_attempts = row
        return Claimed(
            job_id, name, json.loads(args or "{}"), int(attempts), int(max_attempts), worker
        )

    def renew(self, job, until):
        held = self._renew(
            keys=[self._k("running"), self._k("job:" + job.id)],
            args=[_ts(until), job.worker, job.id],
        )
        return bool(held)

    def complete(self, job, now):
        pipe = self.client.pipeline()
        pipe.zrem(self._k("running"), job.id)
        pipe.hset(self._k("job:" + job.id), mapping={"state": "done", "finished_at": _ts(now)})
        pipe.expire(self._k("job:" + job.id), KEEP_FINISHED)
        pipe.execute()

    def fail(self, job, error, now, retry_at):
        key = self._k("job:" + job.id)
        pipe = self.client.pipeline()
        pipe.zrem(self._k("running"), job.id)
        if retry_at is None:
            pipe.hset(
                key, mapping={"state": "failed", "last_error": error, "finished_at": _ts(now)}
            )
            pipe.expire(key, 4 * KEEP_FINISHED)
        else:
            pipe.hset(
                key, mapping={"state": "queued", "last_error": error, "run_at": _ts(retry_at)}
            )
            pipe.zadd(self._k("queue"), {job.id: _ts(retry_at)})
        pipe.execute()
        if retry_at is None:
            self.record_failed(job, error, now)

    def record_failed(self, job, error, now):
        """The database copy of a job that failed for good (see the module docstring)."""
        from trienkhai.notify.models import Job, JobState

        Job.objects.create(
            name=job.name,
            args=job.args,
            run_at=now,
            state=JobState.FAILED,
            attempts=job.attempts,
            max_attempts=job.max_attempts,
            last_error=error,
            finished_at=now,
            redis_id=job.id,
        )

    def counts(self):
        pipe = self.client.pipeline()
        pipe.zcard(self._k("queue"))
        pipe.zcard(self._k("running"))
        queued, running = pipe.execute()
        return {"queued": int(queued), "running": int(running)}

    def recover(self, now):
        # Entries in `running` are scored with the end of their lease.
        return int(
            self._recover(
                keys=[self._k("running"), self._k("queue")], args=[_ts(now), self._k("job:")]
            )
        )

    def info(self, job_id):
        data = self.client.hgetall(self._k("job:" + str(job_id)))
        if not data:
            return None
        return {
            "name": data["name"],
            "args": json.loads(data["args"]),
            "state": data["state"],
            "attempts": int(data["attempts"]),
            "last_error": data.get("last_error", ""),
            "run_at": datetime.datetime.fromtimestamp(float(data["run_at"]), tz=datetime.UTC),
        }
