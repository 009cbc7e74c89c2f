"""The queue's own housekeeping, run by every worker's schedule (always loaded by `schedule`).

`purge`, daily from `TRIENKHAI_PURGE_HOUR` (default 03:00 local): see `notify.actions.purge_old`
for what goes and why failed tasks stay.

`digest`, daily from `TRIENKHAI_DIGEST_HOUR` (default 17:00 local): one mail per user who chose
the daily digest (`notify.email.send_digests`). The hand-off task (`notify.handoffs.deliver`)
lives beside the hand-offs it delivers.
"""

from trienkhai.core.background import daily, job
from trienkhai.notify import actions


@job()
def purge(day: str | None = None) -> dict:
    return actions.purge_old()


daily(purge, hour_setting="TRIENKHAI_PURGE_HOUR", default_hour=3)


@job()
def digest(day: str | None = None) -> dict:
    """The daily mail of everything not mailed yet, to users who chose the digest."""
    from trienkhai.notify.email import send_digests

    return send_digests()


daily(digest, hour_setting="TRIENKHAI_DIGEST_HOUR", default_hour=17)
