"""Pages where an administrator subscribes other systems to events and reads the delivery log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trienkhai.accounts.permissions import administers_someone
from trienkhai.accounts.queries import administered_unit_by_code
from trienkhai.core.actions import ActionError
from trienkhai.webhooks import actions
from trienkhai.webhooks.forms import EVENT_KINDS, SubscriptionForm
from trienkhai.webhooks.models import Delivery
from trienkhai.webhooks.queries import DELIVERIES_SHOWN, managed


def _admin_or_404(user) -> None:
    if not administers_someone(user):
        raise Http404


@login_required
def subscription_list(request):
    _admin_or_404(request.user)
    form = SubscriptionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            unit = administered_unit_by_code(request.user, data["unit"])
            if unit is None:
                form.add_error("unit", _("Không có đơn vị mã này trong phạm vi bạn quản trị."))
            else:
                try:
                    sub = actions.subscribe(
                        request.user,
                        unit=unit,
                        name=data["name"],
                        url=data["url"],
                        events_=data["events"],
                    )
                except ActionError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                else:
                    messages.success(
                        request, _("Đã đăng ký webhook “%(name)s”.") % {"name": sub.name}
                    )
                    return redirect("webhook-detail", sub.pk)
        status = 400
    return render(
        request,
        "webhooks/list.html",
        {"subscriptions": managed(request.user)[:200], "form": form},
        status=status,
    )


def _subscription_or_404(request, pk):
    _admin_or_404(request.user)
    sub = managed(request.user).filter(pk=pk).first()
    if sub is None:
        raise Http404
    return sub


@login_required
def subscription_detail(request, pk):
    sub = _subscription_or_404(request, pk)
    kinds = dict(EVENT_KINDS)
    return render(
        request,
        "webhooks/detail.html",
        {
            "sub": sub,
            "kinds": [kinds.get(e, e) for e in sub.events],
            "deliveries": sub.deliveries.all()[:DELIVERIES_SHOWN],
            "failed": sub.deliveries.filter(state=Delivery.State.FAILED).count(),
        },
    )


@login_required
@require_POST
def subscription_action(request, pk):
    sub = _subscription_or_404(request, pk)
    step = request.POST.get("step")
    try:
        if step == "ping":
            actions.ping(request.user, sub)
            messages.success(request, _("Đã gửi một sự kiện thử."))
        elif step in ("on", "off"):
            actions.set_active(request.user, sub, step == "on")
            messages.success(
                request, _("Đã bật webhook.") if step == "on" else _("Đã tắt webhook.")
            )
        elif step == "retry":
            n = actions.retry_failed(request.user, sub)
            messages.success(request, _("Gửi lại %(n)s sự kiện.") % {"n": n})
        else:
            raise Http404
    except ActionError as exc:
        messages.error(request, exc.message)
    return redirect("webhook-detail", sub.pk)
