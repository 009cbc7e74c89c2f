"""The queue's own housekeeping, run by every worker's schedule (always loaded by the registry).

`notify.purge`, daily from `TRIENKHAI_PURGE_HOUR` (default 03:00 local): see
`notify.actions.purge_old` for what goes and why failed jobs stay.
"""

from trienkhai.core.jobs import daily, job
from trienkhai.notify import actions

PURGE_JOB = "notify.purge"


@job(PURGE_JOB)
def purge(day: str | None = None) -> dict:
    return actions.purge_old()


daily(PURGE_JOB, hour_setting="TRIENKHAI_PURGE_HOUR", default_hour=3)
