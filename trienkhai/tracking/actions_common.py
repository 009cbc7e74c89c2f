"""What every tracking action shares: the stale-edit refusal and the frozen-occurrence rule."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.core.actions import ActionError, StaleEdit  # noqa: F401 - re-exported
from trienkhai.core.models import ChangeLogEntry
from trienkhai.tracking.models import Assignment


def last_saved(obj, actions=None) -> ChangeLogEntry | None:
    """The latest change-log entry about `obj` (among `actions`): who saved it last, and when."""
    entries = ChangeLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
    )
    if actions:
        entries = entries.filter(action__in=actions)
    return entries.order_by("-time", "-id").first()


def check_version(obj, expected_version, current: dict, actions=None) -> None:
    """Refuse with StaleEdit when `expected_version` is given and is not the stored one.

    `actions`: the change-log actions that bump the version, to name who saved last.
    """
    if expected_version is None or int(expected_version) == obj.version:
        return
    entry = last_saved(obj, actions)
    if entry is not None:
        message = _(
            "%(user)s đã lưu thay đổi lúc %(time)s, sau khi bạn mở trang này. Nội dung hiện "
            "tại được hiển thị bên dưới: hãy xem lại rồi lưu lần nữa."
        ) % {
            "user": entry.user_name,
            "time": timezone.localtime(entry.time).strftime("%d/%m/%Y %H:%M"),
        }
    else:
        message = _(
            "Người khác đã lưu thay đổi sau khi bạn mở trang này. Nội dung hiện tại được hiển "
            "thị bên dưới: hãy xem lại rồi lưu lần nữa."
        )
    raise StaleEdit(message, current={**current, "version": obj.version})


def frozen(occurrence) -> bool:
    """An occurrence completed by every assignee (and assigned to at least one) is frozen."""
    rows = Assignment.objects.filter(occurrence=occurrence)
    return rows.exists() and not rows.filter(completed_on__isnull=True).exists()
