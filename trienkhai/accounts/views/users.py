"""Administration of users and their grants, within the units the administrator administers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trienkhai.accounts import actions
from trienkhai.accounts.forms import GrantForm, UserCreateForm
from trienkhai.accounts.permissions import administers_someone
from trienkhai.accounts.queries import (
    administered_grants,
    administered_unit_by_code,
    administered_users,
)
from trienkhai.accounts.second_factor import authenticator
from trienkhai.core.actions import ActionError


def _require_some_admin(user):
    if not administers_someone(user):
        raise Http404


@login_required
def user_list(request):
    _require_some_admin(request.user)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = actions.create_user(
                request.user,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
            )
        except ActionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Đã tạo tài khoản %(name)s.") % {"name": new.username})
            return redirect("user-detail", new.pk)
    return render(
        request,
        "accounts/user_list.html",
        {"users": administered_users(request.user)[:500], "form": form},
    )


@login_required
def user_detail(request, pk):
    _require_some_admin(request.user)
    target = administered_users(request.user).filter(pk=pk).first()
    if target is None:
        raise Http404
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = administered_unit_by_code(request.user, data["unit"])
        if unit is None:
            form.add_error("unit", _("Không có đơn vị mã này trong phạm vi bạn quản trị."))
        else:
            try:
                actions.grant_role(
                    request.user,
                    target,
                    role=data["role"],
                    unit=unit,
                    include_subtree=data["include_subtree"],
                    clearance=data["clearance"],
                )
            except ActionError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Đã phân quyền."))
                return redirect("user-detail", target.pk)
    grants = administered_grants(request.user).filter(user=target).order_by("unit__path")
    from knox.models import get_token_model

    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "grants": grants,
            "form": form,
            "token_count": get_token_model().objects.filter(user=target).count(),
            "second_factor_on": authenticator(target) is not None,
        },
    )


@login_required
@require_POST
def revoke(request, pk, grant_pk):
    grant = administered_grants(request.user).filter(pk=grant_pk, user_id=pk).first()
    if grant is None:
        raise Http404
    try:
        actions.revoke_grant(request.user, grant)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã thu hồi quyền."))
    return redirect("user-detail", pk)


def _administered_target(request, pk):
    _require_some_admin(request.user)
    target = administered_users(request.user).filter(pk=pk).first()
    if target is None:
        raise Http404
    return target


@login_required
@require_POST
def set_active(request, pk):
    """Lock (active=0) or unlock (active=1) an account the administrator administers."""
    target = _administered_target(request, pk)
    active = request.POST.get("active") == "1"
    try:
        actions.set_active(request.user, target, active)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã mở khóa tài khoản.") if active else _("Đã khóa tài khoản."))
    return redirect("user-detail", pk)


@login_required
@require_POST
def revoke_tokens(request, pk):
    """Revoke every API token of an account the administrator administers."""
    target = _administered_target(request, pk)
    try:
        count = actions.revoke_tokens(request.user, target)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã thu hồi %(count)s khóa truy cập.") % {"count": count})
    return redirect("user-detail", pk)
