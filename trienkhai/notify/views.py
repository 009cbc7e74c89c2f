"""The inbox page and its "mark as read" buttons; the operators' page of failed jobs."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trienkhai.core.actions import ActionError
from trienkhai.core.jobs import get_backend
from trienkhai.core.pagination import paginate
from trienkhai.notify import actions, queries
from trienkhai.notify.queries import inbox


def _back(request, default="notify-list"):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@login_required
def notification_list(request):
    page = paginate(request, inbox(request.user))
    return render(request, "notify/list.html", {"page": page})


@login_required
@require_POST
def mark_read(request, pk: int):
    notification = get_object_or_404(inbox(request.user), pk=pk)
    try:
        actions.mark_read(request.user, notification)
    except ActionError as exc:
        messages.error(request, exc.message)
    return _back(request)


@login_required
@require_POST
def mark_all_read(request):
    count = actions.mark_all_read(request.user)
    if count:
        messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": count})
    return _back(request)


# --- failed jobs (system administrators) -------------------------------------------------------


def _operator(request) -> None:
    try:
        actions.require_operator(request.user)
    except ActionError:
        raise PermissionDenied from None


@login_required
def failed_jobs(request):
    """Failed jobs with Retry and Discard; the queue's live counts from the configured backend."""
    _operator(request)
    names = queries.failed_job_names()
    name = request.GET.get("name", "")
    if name not in names:
        name = ""
    page = paginate(request, queries.failed_jobs(name), per_page=25)
    for job in page:
        job.args_json = json.dumps(job.args or {}, ensure_ascii=False, sort_keys=True)
    try:
        counts = get_backend().counts()
    except Exception:  # Redis unreachable: still list what the database holds
        counts = None
    return render(
        request,
        "notify/jobs_failed.html",
        {"page": page, "names": names, "name": name, "counts": counts},
    )


def _failed_or_404(pk: int):
    return get_object_or_404(queries.failed_jobs(), pk=pk)


@login_required
@require_POST
def job_retry(request, pk: int):
    _operator(request)
    job = _failed_or_404(pk)
    try:
        actions.retry_job(request.user, job)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Đã đưa công việc “%(name)s” trở lại hàng đợi.") % {"name": job.name}
        )
    return _back(request, "jobs-failed")


@login_required
@require_POST
def job_discard(request, pk: int):
    _operator(request)
    job = _failed_or_404(pk)
    try:
        actions.discard_job(request.user, job)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã huỷ bỏ công việc “%(name)s”.") % {"name": job.name})
    return _back(request, "jobs-failed")
