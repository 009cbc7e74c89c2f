"""Reads of the review queue: the progress reports waiting for the assigning unit's decision.

A report waits for the coordinators of `Assignment.assigned_by`, so the queue is scoped on that
unit (not on the reporting unit, which a coordinator may not even see beyond). Oldest first: a
report that has waited longest is the one the reporting unit is most blocked on.
"""

from django.db.models import BooleanField, ExpressionWrapper, F, Q

from trienkhai.accounts.classified import readable_flag
from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import is_global, path_scope
from trienkhai.tracking.models import ProgressReport, ReportState
from trienkhai.tree.paths import UPPER

KINDS = ("done", "progress")


def _waiting(user):
    """The submitted reports whose assigning unit the user coordinates.

    The assigning unit's path is copied onto each report (`assigner_path`), and the reports not
    yet decided have their own partial index on it (`report_waiting_path`): a province's
    10,000 waiting reports among the country's millions are one index range (bench/README.md)."""
    qs = ProgressReport.objects.filter(state=ReportState.SUBMITTED)
    if is_global(user):
        return qs
    return qs.filter(
        path_scope(user, "assigner_path", Role.COORDINATOR, unit_field="assignment__assigned_by")
    )


def _filtered(qs, directive, unit, kind):
    if directive is not None:
        qs = qs.filter(assignment__directive=directive)
    if unit is not None:
        qs = qs.filter(
            assignment__unit_path__gte=unit.path, assignment__unit_path__lt=unit.path + UPPER
        )
    if kind == "done":
        qs = qs.filter(done=True)
    elif kind == "progress":
        qs = qs.filter(done=False)
    return qs


def waiting_reports(user, *, directive=None, unit=None, kind: str = ""):
    """Submitted reports the user may decide, oldest first, each annotated `readable`."""
    qs = _filtered(_waiting(user), directive, unit, kind)
    return qs.annotate(
        readable=readable_flag(user, "assignment__task__plan__document"),
        late=ExpressionWrapper(
            Q(done=True, reported_on__gt=F("assignment__due")), output_field=BooleanField()
        ),
    ).order_by("submitted_at", "id")


def waiting_count(user, *, directive=None, unit=None, kind: str = "") -> int:
    """How many reports `waiting_reports` lists, counted without its annotations' joins."""
    return _filtered(_waiting(user), directive, unit, kind).count()


def page_of_waiting(user, *, offset: int, limit: int, **chosen) -> list[int]:
    """The ids of one page of the queue, oldest first."""
    return list(page_ids(user, **chosen)[offset : offset + limit].values_list("id", flat=True))


def waiting_page(user, *, offset: int, limit: int, directive=None, unit=None, kind: str = ""):
    """One page of `waiting_reports`, oldest first: the page's ids are read first, alone, on the
    partial index, then only those rows are joined for their annotations. (As one query with
    the ids in a subquery, PostgreSQL joined first and took 40 ms instead of 5.)"""
    chosen = {"directive": directive, "unit": unit, "kind": kind}
    ids = page_of_waiting(user, offset=offset, limit=limit, **chosen)
    return waiting_reports(user, **chosen).filter(pk__in=ids)


def page_ids(user, *, directive=None, unit=None, kind: str = ""):
    """The ids of the filtered queue, oldest first (a queryset: slice it for a page)."""
    qs = _filtered(_waiting(user), directive, unit, kind)
    return qs.order_by("submitted_at", "id").values("id")
