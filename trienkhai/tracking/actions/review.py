"""Accepting many progress reports at once, from the review queue.

The same decision as `reports.review_report(accept=True)` for each report, written with a few
statements instead of a few per report: a coordinator clearing a thousand waiting reports
confirms once and waits for one transaction. All or nothing: a report someone decided
meanwhile, or one outside the actor's reach, refuses the whole batch and changes nothing.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import unit_scope
from trienkhai.core.actions import ActionError, Change, PermissionRefused, record_many, snapshot
from trienkhai.tracking.actions.reports import reached_amounts
from trienkhai.tracking.models import Assignment, ProgressReport, ReportState

MAX_BATCH = 5000


@transaction.atomic
def accept_reports(actor, report_ids) -> int:
    """Accept every report of `report_ids`; returns how many. Each acceptance is logged."""
    ids = sorted({int(i) for i in report_ids})
    if not ids:
        raise ActionError(_("Hãy chọn ít nhất một báo cáo."), field="reports")
    if len(ids) > MAX_BATCH:
        raise ActionError(
            _("Mỗi lần chấp nhận tối đa %(n)s báo cáo.") % {"n": MAX_BATCH}, field="reports"
        )
    if actor is not None and not getattr(actor, "is_active", False):
        raise PermissionRefused(_("Bạn không có quyền thực hiện thao tác này."))
    qs = ProgressReport.objects.filter(pk__in=ids)
    if actor is not None:
        qs = qs.filter(unit_scope(actor, "assignment__assigned_by", Role.COORDINATOR))
    reports = list(qs.select_for_update(of=("self",)).order_by("id"))
    if len(reports) != len(ids):
        raise PermissionRefused(
            _(
                "Có báo cáo không tồn tại hoặc bạn không có quyền duyệt: không báo cáo nào "
                "được chấp nhận."
            )
        )
    decided = [r for r in reports if r.state != ReportState.SUBMITTED]
    if decided:
        raise ActionError(
            ngettext(
                "%(n)s báo cáo đã được xem xét trước đó: không báo cáo nào được chấp nhận. "
                "Hãy tải lại danh sách.",
                "%(n)s báo cáo đã được xem xét trước đó: không báo cáo nào được chấp nhận. "
                "Hãy tải lại danh sách.",
                len(decided),
            )
            % {"n": len(decided)}
        )
    now = timezone.now()
    reviewer = actor if getattr(actor, "pk", None) else None
    assignments = {
        a.pk: a
        for a in Assignment.objects.select_for_update(of=("self",))
        .filter(pk__in={r.assignment_id for r in reports})
        .select_related("assigned_by", "unit")
    }
    changes = []
    for r in reports:
        before = snapshot(r)
        r.state = ReportState.ACCEPTED
        r.return_reason = ""
        r.reviewed_by = reviewer
        r.reviewed_at = now
        r.version += 1
        changes.append(Change(r, assignments[r.assignment_id].assigned_by, before, snapshot(r)))
    # The same values for every report (its version one up): one UPDATE, not a CASE per row.
    ProgressReport.objects.filter(pk__in=ids).update(
        state=ReportState.ACCEPTED,
        return_reason="",
        reviewed_by=reviewer,
        reviewed_at=now,
        version=F("version") + 1,
    )
    record_many(actor, "tracking.accept_report", changes)

    # A "done" report accepted completes its share on the date the unit reported.
    first_done: dict[int, object] = {}
    for r in reports:
        if r.done:
            day = first_done.get(r.assignment_id)
            first_done[r.assignment_id] = r.reported_on if day is None else min(day, r.reported_on)
    # An amount reached, accepted, becomes the unit's figure to date (see `reached_amounts`).
    with_amount = {r.assignment_id for r in reports if r.target_reached is not None}
    completed, progress = [], []
    for pk in sorted(set(first_done) | with_amount):
        a = assignments[pk]
        before = snapshot(a)
        day = first_done.get(pk)
        if day is not None:
            a.completed_on = day if a.completed_on is None else min(a.completed_on, day)
            a.claimed_on = None
            a.percent = 100
        if pk in with_amount:
            reached_amounts(a)
        if snapshot(a) == before:
            continue
        a.version += 1
        completed.append(a)
        progress.append(Change(a, a.unit, before, snapshot(a)))
    if completed:
        # Completions alone: one UPDATE per completion date (a batch shares a few dates). The
        # few shares whose amount reached changed too are written row by row.
        by_day: dict[object, list[int]] = {}
        amounts = [a for a in completed if a.pk in with_amount]
        for a in completed:
            if a.pk not in with_amount:
                by_day.setdefault(a.completed_on, []).append(a.pk)
        for day, pks in by_day.items():
            Assignment.objects.filter(pk__in=pks).update(
                completed_on=day, claimed_on=None, percent=100, version=F("version") + 1
            )
        if amounts:
            Assignment.objects.bulk_update(
                amounts,
                ["completed_on", "claimed_on", "percent", "reached", "reached_pending", "version"],
                batch_size=500,
            )
        record_many(actor, "tracking.progress", progress)
    return len(reports)
