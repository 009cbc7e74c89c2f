"""A user's notification preferences: read them, store them, and start each session in the
user's stored language (when the browser chose none, `core.middleware.LanguageMiddleware`)."""

from django.conf import settings
from django.db import transaction

from trienkhai.core.actions import ActionError
from trienkhai.core.middleware import SESSION_LANGUAGE
from trienkhai.notify.models import Delivery, Preference


def of(user) -> Preference:
    """The user's preferences, or the defaults (unsaved) when they never chose."""
    found = Preference.objects.filter(user=user).first()
    return found or Preference(user=user)


@transaction.atomic
def save(actor, *, delivery: str, language: str, email: str | None = None) -> Preference:
    """Store the actor's own choices. Not change-logged: like reading a message, it is the
    user's own state, which nobody else relies on. The e-mail address (when given) is the
    account's, set through `accounts.actions.set_email`, which logs it."""
    from django.utils.translation import gettext as _

    from trienkhai.accounts.actions import set_email

    if not getattr(actor, "is_authenticated", False):
        raise ActionError(_("Bạn cần đăng nhập."))
    if delivery not in Delivery.values:
        raise ActionError(_("Hãy chọn cách nhận thư."), field="delivery")
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ActionError(_("Hãy chọn ngôn ngữ."), field="language")
    if email is not None:
        set_email(actor, email=email)
    pref, _created = Preference.objects.update_or_create(
        user=actor, defaults={"delivery": delivery, "language": language}
    )
    return pref


def language_on_login(sender, request, user, **kwargs) -> None:
    """The `user_logged_in` receiver: the session speaks the user's stored language."""
    language = Preference.objects.filter(user=user).values_list("language", flat=True).first()
    if language and request is not None and hasattr(request, "session"):
        request.session[SESSION_LANGUAGE] = language
