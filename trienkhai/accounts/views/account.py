"""Sign-in (throttled by django-axes, `accounts.throttle`), sign-out, and the user's own account."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trienkhai.accounts import actions, throttle
from trienkhai.accounts.forms import PasswordChangeForm
from trienkhai.core.actions import ActionError


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        until = throttle.request_locked_until(self.request)
        if until is None:
            return super().form_invalid(form)
        # Locked (before the password was even checked, or by this very failure): the person
        # is told how long to wait instead of "wrong password".
        form.errors.clear()
        form.add_error(None, throttle.lock_message(until))
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 429
        return response


def _my_tokens(user):
    from knox.models import get_token_model

    return get_token_model().objects.filter(user=user).order_by("-created")


@login_required
def account(request):
    """The signed-in user's page: change the password, see and revoke their API tokens."""
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_password(
                request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ActionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Đã đổi mật khẩu."))
            return redirect("account")
    from trienkhai.accounts.second_factor import authenticator

    return render(
        request,
        "accounts/account.html",
        {
            "form": form,
            "tokens": _my_tokens(request.user),
            "second_factor_on": authenticator(request.user) is not None,
        },
    )


@login_required
@require_POST
def revoke_my_tokens(request):
    """Revoke one API token of the user's (`token` in the form) or, without it, all of them."""
    key = request.POST.get("token") or None
    count = actions.revoke_tokens(request.user, request.user, token_key=key)
    if count:
        messages.success(request, _("Đã thu hồi %(count)s khóa truy cập.") % {"count": count})
    return redirect("account")
