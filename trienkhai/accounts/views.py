"""Sign-in with throttling, sign-out."""

from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _

from trienkhai.accounts import throttle


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        address = throttle.client_address(request)
        if throttle.is_locked(username, address):
            form = self.get_form()
            form.errors.clear()
            form.add_error(
                None,
                _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.")
                % {"minutes": max(1, throttle.settings.LOGIN_THROTTLE_WINDOW // 60)},
            )
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        throttle.note_failure(
            self.request.POST.get("username", ""), throttle.client_address(self.request)
        )
        return super().form_invalid(form)

    def form_valid(self, form):
        throttle.clear(form.get_user().get_username(), throttle.client_address(self.request))
        return super().form_valid(form)
