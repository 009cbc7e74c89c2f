"""The queue's own housekeeping, run by every worker's schedule (always loaded by `schedule`).

`purge`, daily from `TRIENKHAI_PURGE_HOUR` (default 03:00 local): see `notify.actions.purge_old`
for what goes and why failed tasks stay.
"""

from trienkhai.core.background import daily, job
from trienkhai.notify import actions


@job()
def purge(day: str | None = None) -> dict:
    return actions.purge_old()


daily(purge, hour_setting="TRIENKHAI_PURGE_HOUR", default_hour=3)
