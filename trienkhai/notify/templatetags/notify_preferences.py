"""The notification preferences form, shown on the account page (which the accounts app owns and
which may not import notify: the template loads this tag instead)."""

from django import template

from trienkhai.notify import preferences
from trienkhai.notify.forms import PreferenceForm

register = template.Library()


@register.inclusion_tag("notify/_preferences.html", takes_context=True)
def notification_preferences(context):
    user = context["request"].user
    pref = preferences.of(user)
    form = PreferenceForm(
        initial={"delivery": pref.delivery, "language": pref.language, "email": user.email}
    )
    return {
        "form": form,
        "user": user,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }
