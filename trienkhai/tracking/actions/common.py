"""What tracking's actions share: the frozen-occurrence rule."""

from trienkhai.tracking.models import Assignment


def frozen(occurrence) -> bool:
    """An occurrence completed by every assignee (and assigned to at least one) is frozen."""
    rows = Assignment.objects.filter(occurrence=occurrence)
    return rows.exists() and not rows.filter(completed_on__isnull=True).exists()
