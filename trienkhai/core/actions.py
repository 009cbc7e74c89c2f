"""The pieces every action uses: snapshots, the change-log record, and user-facing refusals."""

import datetime
import decimal
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.core import registry
from trienkhai.core.context import current
from trienkhai.core.models import ChangeLogEntry

BULK_BATCH = 2000  # rows per INSERT in `record_many`


class ActionError(Exception):
    """A refusal meant for the user: the message is already translated, nothing was changed."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class PermissionRefused(ActionError):
    """The actor lacks the role at that unit (the API answers 403, not 400)."""


class StaleEdit(ActionError):
    """Someone saved the record after the editor loaded it: nothing is overwritten.

    `current` holds the values now stored, so the form can show the other change (and the API
    answers 409 with them, `core.api.exception_handler`).
    """

    def __init__(self, message, *, current: dict, field=None):
        super().__init__(message, field=field)
        self.current = current


def _json_value(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
        return value.name or None
    return value


def snapshot(obj: models.Model, exclude: tuple[str, ...] = ()) -> dict:
    """The concrete field values of `obj`, JSON-safe, foreign keys as ids."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude:
            continue
        data[field.attname] = _json_value(getattr(obj, field.attname))
    return data


@dataclass(frozen=True, slots=True)
class Change:
    """One write to log with `record_many`: the object, its unit, and its state around the write."""

    obj: models.Model
    unit: models.Model | None = None
    before: dict | None = None
    after: dict | None = None


SYSTEM = "system"  # `user_name` of a write with no person behind it (the demo, the CLI)
JOB_PREFIX = "job:"  # `user_name` of a background job's write: "job:" and the job's name


class UnknownAction(LookupError):
    """An action name without a registered label: the log would show it raw, so it is refused."""


def check_action(action: str) -> None:
    if registry.entry("log.actions", action) is None:
        raise UnknownAction(
            f"{action!r} has no change-log label: add it to the ACTIONS of its app's "
            "changelog.py (registered by core.registry.add_log_words)"
        )


def actor_name(actor, ctx=None) -> str:
    """What the log stores as the actor's name: the username, the job acting, or the system."""
    if getattr(actor, "pk", None):
        return actor.get_username()
    job = (ctx or current()).job
    return f"{JOB_PREFIX}{job}" if job else SYSTEM


def _entries(actor, action: str, changes: Iterable[Change]) -> list[ChangeLogEntry]:
    """The log rows of `changes`, all under the acting context's request id."""
    check_action(action)
    ctx = current()
    user = actor if getattr(actor, "pk", None) else None
    user_name = actor_name(actor, ctx)
    content_type = ContentType.objects.get_for_model
    # ids rather than instances: a batch of thousands skips the related-object bookkeeping
    return [
        ChangeLogEntry(
            user_id=user.pk if user else None,
            user_name=user_name,
            request_id=ctx.request_id,
            action=action,
            content_type_id=content_type(c.obj, for_concrete_model=True).pk,
            object_id=str(c.obj.pk),
            object_repr=str(c.obj)[:300],
            unit_id=c.unit.pk if c.unit is not None else None,
            before=c.before,
            after=c.after,
        )
        for c in changes
    ]


def record(
    actor, action: str, obj: models.Model, *, unit=None, before=None, after=None
) -> ChangeLogEntry:
    """Append one entry to the change log. Call inside the action's transaction."""
    (entry,) = _entries(actor, action, [Change(obj, unit, before, after)])
    entry.save(force_insert=True)
    for _name, listener in registry.entries("core.recorded"):
        listener([entry])
    return entry


def record_many(actor, action: str, changes: Iterable[Change]) -> list[ChangeLogEntry]:
    """Append the entries `record` would write for each change, with a few INSERTs.

    For actions that write many objects at once (a unit import): the rows are the same as one
    `record` per change under the same acting context, request id included, and the same
    listeners hear each, all in one call (a thousand reports accepted at once are a thousand
    hand-offs, queued together).
    """
    entries = ChangeLogEntry.objects.bulk_create(
        _entries(actor, action, changes), batch_size=BULK_BATCH
    )
    for _name, listener in registry.entries("core.recorded"):
        listener(entries)
    return entries


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
