"""Hand-offs: when an action passes work to someone, they are told, through the task queue.

An app says which of its logged actions hand work over, in its `AppConfig.ready()`:

    registry.add("notify.handoffs", "tracking.report", report_submitted)

where `report_submitted(entry)` reads the change-log entry and returns a `Handoff` (what to say,
where it links, and who is told, as units and a role), or None when nothing is handed over.

`core.actions.record` calls `scheduled` for every entry it writes; for an action with a hand-off
it enqueues ONE task, `deliver`, when the action's transaction commits (the action's added cost
is one enqueue, whatever the number of recipients). The task calls the handler, then creates
every recipient's notification in one INSERT … SELECT: the recipients are resolved in SQL from
the grants, never loaded into Python, so a task assigned to 55,000 units is 55,000 rows written
by the database. Each notification carries the key "handoff:<entry id>", unique per user, so a
retried task creates nothing twice; then `email.email_pending` mails those not mailed yet to
the users who want mail at once (the others get the daily digest, `notify.digest`).

Who is told, per audience (units and a role): the users holding that role (or one implying it)
on the unit itself, or through a subtree grant on an ancestor, at the NEAREST level that has
any: a commune with its own reporters tells them, a commune without accounts tells whoever
reports for it above (its district or province), and a national administrator is not told of
every commune's report. Named people (who submitted the report, who asked for the explanation)
are told if they still hold the role over the unit, at any level. Never the person who acted.
"""

import json
import logging
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from trienkhai.accounts.models import Grant
from trienkhai.accounts.roles import roles_granting
from trienkhai.core import registry
from trienkhai.core.background import job, outbox
from trienkhai.core.models import ChangeLogEntry
from trienkhai.notify.models import Notification
from trienkhai.tree.paths import SEGMENT_WIDTH
from trienkhai.units.models import Unit

log = logging.getLogger("trienkhai.jobs")


@dataclass(frozen=True)
class Audience:
    """The holders of `role` over `units` (a Unit queryset or unit ids), at the nearest level;
    with `user_ids`, only those users, wherever their grant reaches the units from."""

    units: object
    role: str
    user_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Handoff:
    """What one event tells its recipients: a message kind and its parameters (rendered in each
    reader's language by the kind's renderer, `notify.messages`), a link, and the audiences."""

    kind: str
    params: dict
    url: str
    audiences: tuple[Audience, ...]
    unit_id: int | None = None
    extra: dict = field(default_factory=dict)


def key_of(entry_id: int) -> str:
    return f"handoff:{entry_id}"


# --- scheduling, inside the action's transaction --------------------------------------------


def only_if(predicate):
    """Mark a handler as handing over only the entries `predicate(entry)` accepts, judged
    from the entry alone when it is written (e.g. only the steps that announce), so other
    entries of the action queue no task at all."""

    def mark(handler):
        handler.only_if = predicate
        return handler

    return mark


def scheduled(entries: list[ChangeLogEntry]) -> None:
    """The `core.recorded` listener: enqueue one `deliver` per hand-off entry once the action
    commits."""
    ids = []
    for entry in entries:
        handler = registry.get("notify.handoffs", entry.action)
        if handler is None:
            continue
        predicate = getattr(handler, "only_if", None)
        if predicate is not None and not predicate(entry):
            continue
        ids.append(entry.pk)
    if ids:
        transaction.on_commit(lambda: _enqueue_all(ids))


def _enqueue_all(entry_ids: list[int]) -> None:
    """One task per entry, written in one transaction: on the database backend a thousand
    hand-offs are then one commit, not a thousand. Should the batch fail, each is tried alone,
    so one bad entry loses no other's notice."""
    if len(entry_ids) > 1:
        try:
            with transaction.atomic():
                for entry_id in entry_ids:
                    deliver.enqueue(entry_id=entry_id)
            return
        except Exception:
            log.exception("hand-offs of %s change-log entries queued one by one", len(entry_ids))
    for entry_id in entry_ids:
        _enqueue(entry_id)


def _enqueue(entry_id: int) -> None:
    """Queued, or kept in the outbox while the queue is unreachable (core/background/outbox)."""
    try:
        outbox.enqueue(deliver, entry_id=entry_id)
    except Exception:  # the action is committed: a lost notice must not turn it into a 500
        log.exception("hand-off of change-log entry %s could not be queued", entry_id)


# --- recipients, in SQL ---------------------------------------------------------------------


def _sql(queryset) -> tuple[str, list]:
    sql, params = queryset.order_by().query.get_compiler(connection=connection).as_sql()
    return sql, list(params)


def _units_sql(units) -> tuple[str, list]:
    """SELECT id of the units: `units` is unit ids, or a queryset of units or of unit ids."""
    if not hasattr(units, "query"):
        units = list(units)
    elif units.model is Unit:
        return _sql(units.values("id"))
    return _sql(Unit.objects.filter(pk__in=units).values("id"))


def _names():
    q = connection.ops.quote_name
    return {
        "grant": q(Grant._meta.db_table),
        "unit": q(Unit._meta.db_table),
        "user": q(get_user_model()._meta.db_table),
    }


def _max_depth() -> int:
    """How many levels a path can have (the deepest unit's depth + 1)."""
    deepest = Unit.objects.order_by("-depth").values_list("depth", flat=True).first()
    return (deepest or 0) + 1


def audience_sql(audience: Audience) -> tuple[str, list]:
    """SELECT uid: the users `audience` names (see the module for the rule).

    Every piece of SQL built here is quoted table names and ORM-compiled subqueries; values
    always travel as parameters (hence the S608 waivers)."""
    n = _names()
    roles = sorted(roles_granting(audience.role))
    marks = ", ".join(["%s"] * len(roles))
    units_sql, units_params = _units_sql(audience.units)
    # (target, user, depth of the grant's unit): grants on the target itself, then subtree
    # grants on a proper ancestor, found by equality on the ancestor's path (the target's path
    # cut after each segment: one unique-index lookup per level). Range joins on the path let
    # the planners compare every subtree grant with every target when their estimates were off
    # (minutes at 55,000 targets, on both engines); lookups stay fast whichever side drives.
    cuts = " UNION ALL ".join(
        f"SELECT {SEGMENT_WIDTH * (level + 1)} AS n" for level in range(_max_depth())
    )
    pairs = (
        f"SELECT t.id AS tid, g.user_id AS uid, t.depth AS lvl FROM {n['unit']} t"  # noqa: S608
        f" JOIN {n['grant']} g ON g.unit_id = t.id"
        f" WHERE t.id IN ({units_sql}) AND g.role IN ({marks})"
        f" UNION ALL"
        f" SELECT t.id, g.user_id, a.depth FROM {n['unit']} t"
        f" JOIN ({cuts}) k ON k.n < LENGTH(t.path)"
        f" JOIN {n['unit']} a ON a.path = SUBSTR(t.path, 1, k.n)"
        f" JOIN {n['grant']} g ON g.unit_id = a.id"
        f" WHERE t.id IN ({units_sql}) AND g.include_subtree AND g.role IN ({marks})"
    )
    params = [*units_params, *roles, *units_params, *roles]
    active = f"JOIN {n['user']} au ON au.id = c.uid AND au.is_active"
    if audience.user_ids:
        ids = ", ".join(["%s"] * len(audience.user_ids))
        sql = f"SELECT DISTINCT c.uid FROM ({pairs}) c {active} WHERE c.uid IN ({ids})"  # noqa: S608
        return sql, [*params, *audience.user_ids]
    ranked = f"SELECT c.uid, c.lvl, MAX(c.lvl) OVER (PARTITION BY c.tid) AS top FROM ({pairs}) c"  # noqa: S608
    sql = f"SELECT DISTINCT r.uid FROM ({ranked} {active}) r WHERE r.lvl = r.top"  # noqa: S608
    return sql, params


def recipients_sql(handoff: Handoff, actor_id: int | None) -> tuple[str, list]:
    parts = [audience_sql(a) for a in handoff.audiences]
    sql = " UNION ".join(f"SELECT uid FROM ({s}) a{i}" for i, (s, _p) in enumerate(parts))  # noqa: S608
    params = [p for _s, ps in parts for p in ps]
    if actor_id is not None:
        sql = f"SELECT uid FROM ({sql}) x WHERE uid <> %s"  # noqa: S608
        params.append(actor_id)
    return sql, params


def recipient_ids(handoff: Handoff, actor_id: int | None = None) -> list[int]:
    """The users `handoff` tells (for tests and previews; delivery never loads them)."""
    sql, params = recipients_sql(handoff, actor_id)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT uid FROM ({sql}) r ORDER BY uid", params)  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


# --- delivery, in the task ------------------------------------------------------------------


def _insert(handoff: Handoff, actor_id: int | None, key: str) -> int:
    """INSERT … SELECT one notification per recipient without one for `key`; returns the count."""
    from django.conf import settings
    from django.utils import translation

    from trienkhai.notify.messages import get_renderer

    with translation.override(settings.LANGUAGE_CODE):
        title, body = get_renderer(handoff.kind)(handoff.params)
    q = connection.ops.quote_name
    table = q(Notification._meta.db_table)
    who, who_params = recipients_sql(handoff, actor_id)
    json_param = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    now = Notification._meta.get_field("created_at").get_db_prep_value(
        timezone.now(), connection, prepared=False
    )
    cols = ", ".join(
        q(c)
        for c in (
            "user_id",
            "unit_id",
            "title",
            "body",
            "url",
            "key",
            "kind",
            "params",
            "created_at",
            "read_at",
            "emailed_at",
        )
    )
    sql = (
        f"INSERT INTO {table} ({cols})"  # noqa: S608 - quoted names; values are params
        f" SELECT r.uid, %s, %s, %s, %s, %s, %s, {json_param}, %s, NULL, NULL"
        f" FROM ({who}) r WHERE NOT EXISTS"
        f" (SELECT 1 FROM {table} n WHERE n.user_id = r.uid AND n.{q('key')} = %s)"
        f" ON CONFLICT DO NOTHING"
    )
    params = [
        handoff.unit_id,
        title[:300],
        body,
        handoff.url[:500],
        key,
        handoff.kind,
        json.dumps(handoff.params, ensure_ascii=False),
        now,
        *who_params,
        key,
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def deliver_entry(entry_id: int) -> dict:
    """Create the notifications of change-log entry `entry_id`, then mail the immediate ones."""
    entry = ChangeLogEntry.objects.filter(pk=entry_id).first()
    if entry is None:  # rolled back, or purged: nothing happened to tell
        return {"entry": entry_id, "notified": 0, "emailed": 0}
    handler = registry.get("notify.handoffs", entry.action)
    handoff = handler(entry) if handler is not None else None
    if handoff is None or not handoff.audiences:
        return {"entry": entry_id, "notified": 0, "emailed": 0}
    return {"entry": entry_id, **deliver_handoff(handoff, key_of(entry.pk), entry.user_id)}


def deliver_handoff(handoff: Handoff, key: str, actor_id: int | None = None) -> dict:
    """Notify `handoff`'s audience once per `key` (a user who has it is skipped), then mail
    those who want mail at once. For events that are not an action, e.g. a deadline that came
    (`inspections.reminders`): the key names the event."""
    from trienkhai.notify.email import email_pending

    created = _insert(handoff, actor_id, key)
    return {"notified": created, "emailed": email_pending(key)}


@job()
def deliver(entry_id: int) -> dict:
    """One hand-off's notifications and immediate e-mails (idempotent: see the module)."""
    return deliver_entry(entry_id)
