"""The inbox page and its "mark as read" buttons."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trienkhai.core.actions import ActionError
from trienkhai.core.pagination import paginate
from trienkhai.notify import actions
from trienkhai.notify.queries import inbox


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notify-list")


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
