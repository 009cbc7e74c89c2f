"""The code asked after the password, and the page where a person sets up their authenticator."""

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from trienkhai.accounts import second_factor
from trienkhai.accounts.queries import administered_users
from trienkhai.core.actions import ActionError


def _next(request, default="home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


@never_cache
@login_required
def verify(request):
    """Step two of signing in: a code from the authenticator app, or a recovery code."""
    if request.user.is_verified() or second_factor.state(request.user) != second_factor.VERIFY:
        return redirect(_next(request))
    error = None
    status = 200
    if request.method == "POST":
        try:
            device = second_factor.check_code(request.user, request.POST.get("code", ""))
        except ActionError as exc:
            error, status = exc.message, 400
        else:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _("Bạn vừa dùng một mã dự phòng; còn %(n)s mã. Hãy tạo mã mới khi cần.")
                    % {"n": left},
                )
            return redirect(_next(request))
    return render(
        request,
        "registration/verify.html",
        {"error": error, "next": _next(request)},
        status=status,
    )


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def _grouped(key: str) -> str:
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@never_cache
@login_required
def setup(request):
    """Turn the second factor on (scan, confirm with a code, keep the recovery codes), make new
    recovery codes, or turn it off when it is not required."""
    user = request.user
    context = {"required": second_factor.is_required(user), "next": _next(request)}
    status = 200
    if request.method == "POST":
        step = request.POST.get("step")
        code = request.POST.get("code", "")
        try:
            if step == "on":
                device, codes = second_factor.turn_on(user, code)
                otp_login(request, device)
                context["codes"] = codes
                messages.success(request, _("Đã bật xác thực hai bước."))
            elif step == "codes":
                context["codes"] = second_factor.new_recovery_codes(user, code)
                messages.success(request, _("Đã tạo mã dự phòng mới; các mã cũ hết hiệu lực."))
            elif step == "off":
                second_factor.turn_off(user, code)
                messages.success(request, _("Đã tắt xác thực hai bước."))
                return redirect("account")
            else:
                raise Http404
        except ActionError as exc:
            context["error"] = exc.message
            status = 400
    device = second_factor.authenticator(user)
    context["device"] = device
    if device is None:
        pending = second_factor.pending_authenticator(user)
        context["secret"] = _grouped(pending.config_url.split("secret=")[1].split("&")[0])
        context["qr"] = mark_safe(_qr_svg(pending.config_url))  # noqa: S308 - our own SVG
    else:
        context["codes_left"] = sum(
            d.token_set.count() for d in user.staticdevice_set.filter(confirmed=True)
        )
    return render(request, "accounts/second_factor.html", context, status=status)


@login_required
@require_POST
def reset(request, pk):
    """An administrator clears the authenticator of an account they administer."""
    target = administered_users(request.user).filter(pk=pk).first()
    if target is None:
        raise Http404
    try:
        second_factor.reset(request.user, target)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã đặt lại xác thực hai bước của tài khoản."))
    return redirect("user-detail", target.pk)
