"""How well "at risk" foretold lateness in a database's history (the demo's, by default).

For every assignment whose due date has passed, replay its reports: on each Monday of its term,
was it at risk by `tracking.risk` (progress as the latest report then said, started once a report
existed)? Then: did it finish late (done after its due date, or still not done)? Prints how many
assignments were ever marked at risk, how many of those ran late (precision), and how many of the
late ones had been marked at risk beforehand (recall), with the first warning's lead time.

Usage: python bench/risk_history.py   (TRIENKHAI_DATA_DIR / DATABASE_URL as for the app)
"""

import datetime
import os
import statistics
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trienkhai.settings")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from trienkhai.tracking.models import Assignment, ProgressReport, ReportState  # noqa: E402
from trienkhai.tracking.risk import elapsed_share, risky  # noqa: E402

WEEK = datetime.timedelta(days=7)


def main() -> int:
    today = timezone.localdate()
    rows = list(
        Assignment.objects.filter(due__lt=today, fulfilled_by__isnull=True).values_list(
            "pk", "due", "completed_on", "occurrence__period_start"
        )
    )
    history = defaultdict(list)
    for aid, day, percent in (
        ProgressReport.objects.exclude(state=ReportState.RETURNED)
        .filter(assignment_id__in=[r[0] for r in rows])
        .order_by("reported_on", "id")
        .values_list("assignment_id", "reported_on", "percent")
    ):
        history[aid].append((day, percent))
    flagged = late = flagged_late = 0
    leads = []
    for aid, due, completed, start in rows:
        ran_late = completed is None or completed > due
        late += ran_late
        first_warning = None
        day = start + datetime.timedelta(days=(7 - start.weekday()) % 7)  # first Monday
        while day <= due:
            if completed is not None and completed <= day:
                break
            said = [p for d, p in history[aid] if d <= day]
            if risky(said[-1] if said else 0, bool(said), elapsed_share(start, due, day)):
                first_warning = day
                break
            day += WEEK
        if first_warning is not None:
            flagged += 1
            if ran_late:
                flagged_late += 1
                leads.append((due - first_warning).days)
    print(f"assignments past their due date: {len(rows)}; ran late: {late}")
    print(f"ever marked at risk before their due date: {flagged}")
    if flagged:
        print(f"  of which ran late: {flagged_late} ({100 * flagged_late / flagged:.0f} %)")
    if late:
        print(f"late ones warned beforehand: {flagged_late} ({100 * flagged_late / late:.0f} %)")
    if leads:
        print(f"median warning ahead of the due date: {statistics.median(leads):.0f} days")
    return 0


if __name__ == "__main__":
    sys.exit(main())
