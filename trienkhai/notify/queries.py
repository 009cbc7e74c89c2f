"""Reads of a user's own inbox (seen by that user only), and of failed jobs for operators."""

from trienkhai.notify.models import Job, JobState, Notification

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


def failed_jobs(name: str = ""):
    """Jobs failed for good, newest first, optionally of one job name (operators only: the
    caller has checked `actions.require_operator`; jobs hang on no unit, so no unit scope)."""
    qs = Job.objects.filter(state=JobState.FAILED).order_by("-finished_at", "-pk")
    if name:
        qs = qs.filter(name=name)
    return qs


def failed_job_names() -> list[str]:
    return list(
        Job.objects.filter(state=JobState.FAILED)
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )
