"""Tracking pages: shared look-ups (all scoped in SQL; outside the scope is a 404) and "my work".

The dashboard lives in `dashboard`, plans and tasks in `plans`, assignments, reports and
explanations in `tasks`.
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, F, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trienkhai.accounts.classified import readable_prefetch, restrict
from trienkhai.accounts.models import Grant, Role
from trienkhai.accounts.roles import roles_granting
from trienkhai.accounts.scope import document_access, is_global, reaches, reaches_unit
from trienkhai.core.dates import today
from trienkhai.core.pagination import paginate
from trienkhai.documents.queries import visible_documents
from trienkhai.tracking import queries
from trienkhai.tracking.models import Plan, Task
from trienkhai.tracking.status import Status, assignment_status


def visible_plans(user):
    """Plans whose document the user may read (their own, below, or from above).

    The directive and the higher plan come as `seen_directive` and `seen_parent`, annotated
    `readable`: a plan may be readable while what it implements is classified higher (shown by
    its mask) or unseen (None).
    """
    visible, readable = document_access(user, "document")
    return (
        Plan.objects.filter(visible & readable)
        .select_related("document", "unit")
        .prefetch_related(
            Prefetch("directive", queryset=visible_documents(user), to_attr="seen_directive"),
            readable_prefetch(
                user,
                "parent",
                Plan.objects.filter(visible).select_related("document"),
                to_attr="seen_parent",
            ),
        )
    )


def plan_or_404(user, pk) -> Plan:
    plan = visible_plans(user).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def task_or_404(user, pk) -> Task:
    visible, readable = document_access(user, "plan__document")
    task = (
        Task.objects.filter(visible & readable)
        .select_related("plan", "plan__document", "plan__unit", "lead_unit")
        .filter(pk=pk)
        .first()
    )
    if task is None:
        raise Http404
    return task


def assignment_or_404(user, pk):
    """The assignment in the user's reach, annotated `readable` (may the user read its task's
    plan), with the plan it fulfilled as `seen_fulfilled_by` (masked if classified, None if
    unseen)."""
    assignment = (
        restrict(queries.visible_assignments(user), user)
        .select_related("unit", "task", "task__plan__document", "occurrence", "assigned_by")
        .prefetch_related(
            Prefetch("fulfilled_by", queryset=visible_documents(user), to_attr="seen_fulfilled_by")
        )
        .filter(pk=pk)
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def can_coordinate(user, unit) -> bool:
    return reaches_unit(user, unit, Role.COORDINATOR)


def can_register_plans(user) -> bool:
    return is_global(user) or bool(reaches(user, Role.COORDINATOR))


def with_status(assignments, as_of: datetime.date):
    """Attach `status`, its words and its CSS class to each assignment (for the templates)."""
    out = []
    for a in assignments:
        a.status = assignment_status(a, as_of)
        a.status_label = Status.LABELS[a.status]
        a.status_css = Status.CSS[a.status]
        out.append(a)
    return out


@login_required
@require_GET
def my_work(request):
    """The assignments of the units where the user reports, open ones first, due soonest first."""
    user = request.user
    own_unit = Grant.objects.filter(
        user=user, unit=OuterRef("unit"), role__in=roles_granting(Role.REPORTER)
    )
    qs = restrict(
        queries.visible_assignments(user, Role.REPORTER)
        .filter(Exists(own_unit))
        .select_related("unit", "task", "task__plan__document", "occurrence"),
        user,
    )
    show_all = request.GET.get("all") == "1"
    if not show_all:
        qs = qs.filter(completed_on__isnull=True)
    page = paginate(request, qs.order_by(F("completed_on").asc(nulls_first=True), "due", "id"))
    page.object_list = with_status(page.object_list, today())
    return render(
        request, "tracking/my_work.html", {"page": page, "show_all": show_all, "today": today()}
    )
