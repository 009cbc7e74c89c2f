"""Reads of a user's own inbox (seen by that user only), and of failed tasks for operators."""

from trienkhai.core.background import failed
from trienkhai.notify.models import Notification

BADGE_CAP = 99


def inbox(user):
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user).select_related("unit")


def badge_label(user) -> str:
    """ "" when nothing is unread, else the count ("99+" beyond the cap): one capped COUNT."""
    n = inbox(user).filter(read_at__isnull=True)[: BADGE_CAP + 1].count()
    if n == 0:
        return ""
    return f"{BADGE_CAP}+" if n > BADGE_CAP else str(n)


def failed_jobs(task_path: str = ""):
    """Tasks failed for good, newest first, optionally of one task (operators only: the caller
    has checked `actions.require_operator`; tasks hang on no unit, so no unit scope)."""
    return failed.failed_results(task_path)


def failed_job(result_id: str):
    return failed.get_failed(result_id)


def failed_job_names() -> list[str]:
    return failed.failed_task_paths()


def queue_counts() -> dict[str, int]:
    return failed.counts()
