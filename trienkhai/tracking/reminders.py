"""The daily reminder: one digest per user about the work due soon or overdue in their reach.

Who is told: every active user holding a reporter-or-higher grant whose reach covers the
assigned unit (a subtree grant covers the unit and everything under it, an exact grant only the
unit) — the same rule as `accounts.scope`, written here as a join between grants and
assignments so that it runs in the database for all users at once:

    grant (subtree) ⋈ assignment  ON  unit_path >= grant.path AND unit_path < grant.path || '~'
    grant (exact)   ⋈ assignment  ON  assignment.unit_id = grant.unit_id

The UNION of both removes pairs counted twice through overlapping grants. What is "due soon" and
"overdue" comes only from `tracking.status` (`status_q`, `status_case`). Three grouped queries per
batch of users give each user's totals, their busiest units and their first few items; nothing
per assignment is loaded into Python.

Each digest stores its figures and names (`digest_params`) with the message kind
"tracking.reminders"; the inbox renders them in the reader's language (`render_digest`). The
stored title and body are rendered in `settings.LANGUAGE_CODE`; the e-mail is rendered again in
each user's stored language, at once or in the user's daily digest (`notify.email`).

A task's title goes into a digest only when its recipient may read the plan's document
(`accounts.classified.readable_pairs`, the scoping of every page, asked for a whole batch of
recipients in a few UNIONs); otherwise the digest stores no title and shows the task's mask.

Idempotent per day: a digest has the key "reminders:<day>", unique per user; users who already
have it are left out of the join, so a second run the same day creates and mails nothing. Mail is
sent after the digests exist, only for those not yet mailed (a run that failed halfway resumes).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F, Max, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from trienkhai.accounts.classified import mask_word, readable_pairs
from trienkhai.accounts.models import Grant
from trienkhai.accounts.roles import roles_granting
from trienkhai.core.background import daily, job
from trienkhai.notify import actions as notify_actions
from trienkhai.notify.email import email_pending
from trienkhai.notify.messages import renderer
from trienkhai.notify.models import Notification
from trienkhai.tracking.deadlines import span_label
from trienkhai.tracking.models import Assignment, Occurrence, Task
from trienkhai.tracking.status import Status, status_case, status_q
from trienkhai.units.models import Unit

MESSAGE_KIND = "tracking.reminders"
TOP_UNITS = 5
TOP_ITEMS = 5
USER_BATCH = 2000


def digest_key(day: datetime.date) -> str:
    return f"reminders:{day.isoformat()}"


@dataclass
class Digest:
    user_id: int
    overdue: int
    soon: int
    units: int
    by_unit: list[tuple[int, str, int, int]] = field(default_factory=list)
    # (due, status, unit name, task title or None when masked, period start, period end)
    items: list[tuple[datetime.date, str, str, str | None, datetime.date, datetime.date]] = field(
        default_factory=list
    )


def _sql(queryset) -> tuple[str, list]:
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return sql, list(params)


def _relevant_assignments(day: datetime.date, days: int):
    """Open work due within `days` of `day`, and overdue work, with its status as of `day`."""
    horizon = day + datetime.timedelta(days=days)
    due_soon = (status_q(Status.NOT_STARTED, day) | status_q(Status.IN_PROGRESS, day)) & Q(
        due__lte=horizon
    )
    return (
        Assignment.objects.filter(due_soon | status_q(Status.OVERDUE, day))
        .annotate(st=status_case(day))
        .values("id", "unit_id", "unit_path", "due", "task_id", "occurrence_id", "st")
    )


def _grants(key: str, lo: int, hi: int):
    """Reporter-or-higher grants of active users in [lo, hi) who have no digest for the key."""
    return (
        Grant.objects.filter(
            role__in=sorted(roles_granting("reporter")),
            user__is_active=True,
            user_id__gte=lo,
            user_id__lt=hi,
        )
        .exclude(user__in=Notification.objects.filter(key=key).values("user"))
        .values("user_id", "unit_id", "include_subtree", gpath=F("unit__path"))
    )


def _pairs(day, days, key, lo, hi) -> tuple[str, list]:
    """SQL of the distinct (user, assignment) pairs: who must hear about which assignment."""
    a_sql, a_params = _sql(_relevant_assignments(day, days))
    g_sql, g_params = _sql(_grants(key, lo, hi))
    cols = (
        "g.user_id AS user_id, a.id AS id, a.unit_id AS unit_id, a.due AS due,"
        " a.task_id AS task_id, a.occurrence_id AS occurrence_id, a.st AS st"
    )
    sql = (
        f"SELECT {cols} FROM ({g_sql}) g JOIN ({a_sql}) a ON a.unit_id = g.unit_id "  # noqa: S608 (ORM-compiled SQL, values as params)
        f"WHERE NOT g.include_subtree "
        f"UNION "
        f"SELECT {cols} FROM ({g_sql}) g JOIN ({a_sql}) a "
        f"ON a.unit_path >= g.gpath AND a.unit_path < g.gpath || '~' "
        f"WHERE g.include_subtree"
    )
    return sql, g_params + a_params + g_params + a_params


def _as_date(value) -> datetime.date:
    return datetime.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def digests(day: datetime.date, *, days: int, key: str, lo: int, hi: int) -> list[Digest]:
    """Each user's digest for users with ids in [lo, hi): three grouped queries in all."""
    pairs, params = _pairs(day, days, key, lo, hi)
    qn = connection.ops.quote_name
    units, tasks = qn(Unit._meta.db_table), qn(Task._meta.db_table)
    occurrences = qn(Occurrence._meta.db_table)
    overdue = Status.OVERDUE
    result: dict[int, Digest] = {}
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT user_id, SUM(CASE WHEN st = %s THEN 1 ELSE 0 END), COUNT(*), "  # noqa: S608
            f"COUNT(DISTINCT unit_id) FROM ({pairs}) p GROUP BY user_id ORDER BY user_id",
            [overdue, *params],
        )
        for user_id, n_overdue, total, n_units in cur.fetchall():
            result[user_id] = Digest(user_id, int(n_overdue), int(total - n_overdue), int(n_units))
        if not result:
            return []
        cur.execute(
            f"SELECT t.user_id, t.unit_id, u.name, t.o, t.n FROM ("  # noqa: S608
            f" SELECT user_id, unit_id, SUM(CASE WHEN st = %s THEN 1 ELSE 0 END) AS o,"
            f" COUNT(*) AS n, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY"
            f" SUM(CASE WHEN st = %s THEN 1 ELSE 0 END) DESC, COUNT(*) DESC, unit_id) AS rn"
            f" FROM ({pairs}) p GROUP BY user_id, unit_id) t"
            f" JOIN {units} u ON u.id = t.unit_id WHERE t.rn <= %s ORDER BY t.user_id, t.rn",
            [overdue, overdue, *params, TOP_UNITS],
        )
        for user_id, unit_id, name, o, n in cur.fetchall():
            result[user_id].by_unit.append((unit_id, name, int(o), int(n - o)))
        cur.execute(
            f"SELECT t.user_id, t.due, t.st, u.name, k.title, o.period_start, o.period_end,"  # noqa: S608
            f" t.task_id"
            f" FROM (SELECT user_id, unit_id, task_id, occurrence_id, due, st, ROW_NUMBER() OVER"
            f" (PARTITION BY user_id ORDER BY due, id) AS rn FROM ({pairs}) p) t"
            f" JOIN {units} u ON u.id = t.unit_id JOIN {tasks} k ON k.id = t.task_id"
            f" JOIN {occurrences} o ON o.id = t.occurrence_id"
            f" WHERE t.rn <= %s ORDER BY t.user_id, t.rn",
            [*params, TOP_ITEMS],
        )
        items = cur.fetchall()
    # Each recipient reads a task's title only with the clearance for its plan's document.
    wanted: dict[int, set[int]] = {}
    for user_id, *_cols, task_id in items:
        wanted.setdefault(user_id, set()).add(task_id)
    readable = readable_pairs(Task, wanted)
    for user_id, due, st, unit_name, title, start, end, task_id in items:
        shown = title if (user_id, task_id) in readable else None
        result[user_id].items.append(
            (_as_date(due), st, unit_name, shown, _as_date(start), _as_date(end))
        )
    return list(result.values())


def _link() -> str:
    try:
        return reverse("tracking-dashboard")
    except NoReverseMatch:
        return reverse("notify-list")


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def digest_params(digest: Digest, day: datetime.date, days: int) -> dict:
    """What the notification stores: figures, ISO dates and names, no sentences (JSON-safe)."""
    return {
        "day": day.isoformat(),
        "days": days,
        "overdue": digest.overdue,
        "soon": digest.soon,
        "units": digest.units,
        "by_unit": [[name, o, s] for _unit_id, name, o, s in digest.by_unit],
        "items": [
            [
                due.isoformat(),
                st,
                unit_name,
                None if title is None else title[:160],
                start.isoformat(),
                end.isoformat(),
            ]
            for due, st, unit_name, title, start, end in digest.items
        ],
    }


def _date(iso: str) -> str:
    return date_format(datetime.date.fromisoformat(iso), "SHORT_DATE_FORMAT")


@renderer(MESSAGE_KIND)
def render_digest(params: dict) -> tuple[str, str]:
    """Title and body of a digest in the active language (the reader's, on the inbox page)."""
    title = _(
        "Nhắc việc ngày %(day)s: %(overdue)s nhiệm vụ quá hạn, %(soon)s nhiệm vụ sắp đến hạn"
    ) % {"day": _date(params["day"]), "overdue": _n(params["overdue"]), "soon": _n(params["soon"])}
    lines = [
        _(
            "Trong phạm vi của bạn có %(overdue)s nhiệm vụ quá hạn chưa hoàn thành và "
            "%(soon)s nhiệm vụ đến hạn trong %(days)s ngày tới, tại %(units)s đơn vị."
        )
        % {
            "overdue": _n(params["overdue"]),
            "soon": _n(params["soon"]),
            "days": _n(params["days"]),
            "units": _n(params["units"]),
        },
        "",
        _("Theo đơn vị:"),
    ]
    for name, o, s in params["by_unit"]:
        lines.append(
            _("- %(unit)s: %(overdue)s quá hạn, %(soon)s sắp đến hạn")
            % {"unit": name, "overdue": _n(o), "soon": _n(s)}
        )
    if params["units"] > len(params["by_unit"]):
        lines.append(
            _("- và %(n)s đơn vị khác") % {"n": _n(params["units"] - len(params["by_unit"]))}
        )
    lines += ["", _("Cần xử lý trước:")]
    for due, st, unit_name, task_title, start, end in params["items"]:
        label = Status.LABELS[st] if st == Status.OVERDUE else _("Sắp đến hạn")
        when = _date(due)
        period = span_label(datetime.date.fromisoformat(start), datetime.date.fromisoformat(end))
        where = unit_name if period == when else f"{unit_name} · {period}"
        shown = mask_word(Task, "title") if task_title is None else task_title[:160]
        lines.append(f"- [{label}] {when} · {where} · {shown}")
    return title[:300], "\n".join(lines)


def render(digest: Digest, day: datetime.date, days: int) -> tuple[str, str]:
    """Title and body of one digest in the active language."""
    return render_digest(digest_params(digest, day, days))


def send_reminders(day: datetime.date | None = None, *, days: int | None = None) -> dict:
    """Create today's digests for every user who has none yet, then mail them. Returns counts."""
    day = day or timezone.localdate()
    days = int(settings.TRIENKHAI_REMINDER_DAYS if days is None else days)
    key = digest_key(day)
    top = get_user_model().objects.aggregate(m=Max("pk"))["m"] or 0
    created = 0
    with translation.override(settings.LANGUAGE_CODE):
        url = _link()
        for lo in range(0, top + 1, USER_BATCH):
            rows = []
            for d in digests(day, days=days, key=key, lo=lo, hi=lo + USER_BATCH):
                params = digest_params(d, day, days)
                title, body = render_digest(params)
                unit_id = d.by_unit[0][0] if d.by_unit else None
                rows.append(
                    dict(
                        user_id=d.user_id,
                        unit_id=unit_id,
                        title=title,
                        body=body,
                        url=url,
                        key=key,
                        kind=MESSAGE_KIND,
                        params=params,
                    )
                )
            created += notify_actions.create_notifications(rows)
        emailed = email_pending(key)
    return {"day": day.isoformat(), "notified": created, "emailed": emailed}


@job()
def daily_reminders(day: str | None = None) -> None:
    send_reminders(datetime.date.fromisoformat(day) if day else None)


daily(daily_reminders, hour_setting="TRIENKHAI_REMINDER_HOUR")
