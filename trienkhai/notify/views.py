"""The inbox page and its "mark as read" buttons, the preferences form's target, and the
operators' page of failed tasks."""

import json
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trienkhai.core.actions import ActionError
from trienkhai.core.background import failed
from trienkhai.core.background.retries import call_kwargs
from trienkhai.core.middleware import SESSION_LANGUAGE
from trienkhai.core.pagination import paginate
from trienkhai.notify import actions, queries
from trienkhai.notify import preferences as notify_preferences
from trienkhai.notify.forms import PreferenceForm
from trienkhai.notify.queries import inbox

log = logging.getLogger("trienkhai.jobs")


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


@login_required
@require_POST
def preferences(request):
    """Save the form of the account page; the interface follows the chosen language at once."""
    form = PreferenceForm(request.POST)
    if not form.is_valid():
        if "email" in form.errors:
            messages.error(request, form.errors["email"][0])
        else:
            messages.error(request, _("Tuỳ chọn không hợp lệ: hãy chọn lại."))
        return redirect("account")
    try:
        data = dict(form.cleaned_data)
        if "email" not in request.POST:  # a form without the field leaves the address alone
            data.pop("email")
        pref = notify_preferences.save(request.user, **data)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("account")
    request.session[SESSION_LANGUAGE] = pref.language
    with translation.override(pref.language):
        messages.success(request, _("Đã lưu tuỳ chọn thông báo."))
    response = redirect(reverse("account") + "#notify-preferences")
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        pref.language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


# --- failed tasks (system administrators) -------------------------------------------------------


def _operator(request) -> None:
    try:
        actions.require_operator(request.user)
    except ActionError:
        raise PermissionDenied from None


@login_required
def failed_jobs(request):
    """Failed tasks with Retry and Discard; the queue's live counts from the configured backend."""
    _operator(request)
    name = request.GET.get("name", "")
    try:
        names = queries.failed_job_names()
        if name not in names:
            name = ""
        rows = queries.failed_jobs(name)
        counts = queries.queue_counts()
    except Exception:  # Redis unreachable: say so rather than fail the page
        log.warning("the task queue cannot be read", exc_info=True)
        names, name, rows, counts = [], "", [], None
    page = paginate(request, rows, per_page=25)
    for result in page:
        call = result.args_kwargs or {}
        result.args_json = json.dumps(
            call_kwargs(call.get("kwargs", {})), ensure_ascii=False, sort_keys=True
        )
        result.attempts, result.max_attempts = failed.attempts(result)
    return render(
        request,
        "notify/jobs_failed.html",
        {"page": page, "names": names, "name": name, "counts": counts},
    )


def _failed_or_404(pk: str):
    result = queries.failed_job(pk)
    if result is None:
        raise Http404
    return result


@login_required
@require_POST
def job_retry(request, pk: str):
    _operator(request)
    result = _failed_or_404(pk)
    try:
        actions.retry_job(request.user, result)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã đưa công việc “%(name)s” trở lại hàng đợi.") % {"name": result.task_path},
        )
    return _back(request, "jobs-failed")


@login_required
@require_POST
def job_discard(request, pk: str):
    _operator(request)
    result = _failed_or_404(pk)
    try:
        actions.discard_job(request.user, result)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã huỷ bỏ công việc “%(name)s”.") % {"name": result.task_path})
    return _back(request, "jobs-failed")
