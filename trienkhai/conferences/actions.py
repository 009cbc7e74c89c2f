"""Every write to conferences: record one, edit it safely. Each one checked, atomic and logged.

Role: reporter (or a role implying it) over the host unit — the unit that held the conference
reports its figures, and a coordinator above it may enter them on its behalf.

The action validates everything before writing (counts not negative, members attending not above
those expected, documents readable and issued before the conference, host open on the date, the
deadline's task assigned to the host), replaces the figure rows, and stores the totals the
roll-up reads.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Clearance, Role
from trienkhai.accounts.permissions import require
from trienkhai.conferences.models import Attendance, Category, Conference, ConnectionPoints, Format
from trienkhai.core.actions import ActionError, StaleEdit, check_version, record, snapshot
from trienkhai.core.dates import check_date
from trienkhai.core.text import fold
from trienkhai.documents.queries import readable_documents
from trienkhai.units.models import Unit

__all__ = ["StaleEdit", "record_conference", "update_conference"]

EDIT_ACTIONS = ("conferences.record", "conferences.update")


@dataclass
class Cleaned:
    host: Unit
    date: datetime.date
    title: str
    format: str
    documents: list
    points: list[tuple[str, int]]
    attendance: list[tuple[str, str, int]]
    members_expected: int | None
    members_attending: int | None
    non_member_attendances: int | None
    deadline: datetime.date | None
    deadline_assignment: object
    note: str


def _count(value, field: str, *, allow_none: bool) -> int | None:
    if value in (None, ""):
        if allow_none:
            return None
        raise ActionError(_("Hãy nhập số liệu."), field=field)
    if isinstance(value, bool):
        raise ActionError(_("Số liệu phải là số nguyên."), field=field)
    try:
        number = int(str(value).replace(".", "").strip()) if isinstance(value, str) else value
        if number != int(number):
            raise ValueError
        number = int(number)
    except (TypeError, ValueError):
        raise ActionError(_("Số liệu phải là số nguyên."), field=field) from None
    if number < 0:
        raise ActionError(_("Số liệu không được âm."), field=field)
    return number


def _date(value, field: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return check_date(value.date(), field)
    if isinstance(value, datetime.date):
        return check_date(value, field)
    raise ActionError(_("Ngày không hợp lệ (dd/mm/yyyy)."), field=field)


def _points(rows) -> list[tuple[str, int]]:
    out, seen = [], set()
    for level, count in rows or ():
        level = (level or "").strip()
        number = _count(count, "points", allow_none=False)
        if not level:
            raise ActionError(_("Hãy ghi cấp của điểm cầu."), field="points")
        if fold(level) in seen:
            raise ActionError(
                _("Cấp “%(level)s” được ghi hai lần.") % {"level": level}, field="points"
            )
        seen.add(fold(level))
        out.append((level, number))
    return out


def _attendance(rows) -> list[tuple[str, str, int]]:
    out, seen = [], set()
    for level, category, count in rows or ():
        level = (level or "").strip()
        number = _count(count, "attendance", allow_none=False)
        if not level:
            raise ActionError(_("Hãy ghi cấp của đại biểu."), field="attendance")
        if category not in Category.values:
            raise ActionError(_("Thành phần đại biểu không hợp lệ."), field="attendance")
        key = (fold(level), category)
        if key in seen:
            raise ActionError(
                _("Cấp “%(level)s”, thành phần “%(category)s” được ghi hai lần.")
                % {"level": level, "category": Category(category).label},
                field="attendance",
            )
        seen.add(key)
        out.append((level, category, number))
    return out


def _documents(actor, documents, date: datetime.date, kept=()) -> list:
    """The documents covered, each readable by `actor` unless already linked and kept
    (`kept`: linked documents the actor cannot read, which they may neither see nor unlink)."""
    documents = list(dict.fromkeys(documents or ()))
    if not documents:
        raise ActionError(_("Hãy chọn ít nhất một văn bản được quán triệt."), field="documents")
    kept = {d.pk for d in kept}
    if actor is not None and not getattr(actor, "is_superuser", False):
        chosen = [d.pk for d in documents if d.pk not in kept]
        readable = set(readable_documents(actor).filter(pk__in=chosen).values_list("pk", flat=True))
        if len(readable) != len(chosen):
            raise ActionError(_("Không tìm thấy văn bản trong phạm vi của bạn."), field="documents")
    for doc in documents:
        if doc.date > date:
            if doc.pk in kept:
                raise ActionError(
                    _("Một văn bản mật được quán triệt ban hành sau ngày hội nghị."),
                    field="date",
                )
            raise ActionError(
                _("Văn bản %(symbol)s ban hành ngày %(doc_date)s, sau ngày hội nghị.")
                % {"symbol": doc.symbol, "doc_date": doc.date.strftime("%d/%m/%Y")},
                field="documents",
            )
    return documents


def _clean(actor, *, kept=(), **values) -> Cleaned:
    host = values.get("host")
    if host is None:
        raise ActionError(_("Hãy chọn đơn vị tổ chức."), field="host")
    require(actor, Role.REPORTER, host)
    date = _date(values.get("date"), "date")
    if date > timezone.localdate():
        raise ActionError(_("Ngày tổ chức không được sau hôm nay."), field="date")
    if date < host.valid_from or (host.valid_to is not None and date >= host.valid_to):
        raise ActionError(
            _("Ngày %(date)s “%(unit)s” không hoạt động.")
            % {"date": date.strftime("%d/%m/%Y"), "unit": host.name},
            field="date",
        )
    title = (values.get("title") or "").strip()
    if not title:
        raise ActionError(_("Tên hội nghị là bắt buộc."), field="title")
    fmt = values.get("format")
    if fmt not in Format.values:
        raise ActionError(_("Hãy chọn hình thức tổ chức."), field="format")
    expected = _count(values.get("members_expected"), "members_expected", allow_none=True)
    attending = _count(values.get("members_attending"), "members_attending", allow_none=True)
    if attending is not None and expected is not None and attending > expected:
        raise ActionError(
            _("Số đảng viên tham gia (%(a)s) vượt số phải tham gia (%(e)s): tỷ lệ trên 100%%.")
            % {"a": attending, "e": expected},
            field="members_attending",
        )
    assignment = values.get("deadline_assignment")
    deadline = values.get("deadline")
    if assignment is not None:
        if assignment.unit_id != host.pk:
            raise ActionError(
                _("Nhiệm vụ được chọn không giao cho “%(unit)s”.") % {"unit": host.name},
                field="deadline_assignment",
            )
        deadline = assignment.due
    elif deadline is not None:
        deadline = _date(deadline, "deadline")
    return Cleaned(
        host=host,
        date=date,
        title=title,
        format=fmt,
        documents=_documents(actor, values.get("documents"), date, kept),
        points=_points(values.get("points")),
        attendance=_attendance(values.get("attendance")),
        members_expected=expected,
        members_attending=attending,
        non_member_attendances=_count(
            values.get("non_member_attendances"), "non_member_attendances", allow_none=True
        ),
        deadline=deadline,
        deadline_assignment=assignment,
        note=(values.get("note") or "").strip(),
    )


def values_of(conference: Conference) -> dict:
    """The stored values with documents and figure rows: the change log's before/after."""
    return {
        **snapshot(conference, exclude=("search_text",)),
        "documents": sorted(conference.documents.values_list("pk", flat=True)),
        "points": [[p.level, p.count] for p in conference.points.all()],
        "attendance": [[a.level, a.category, a.count] for a in conference.attendance.all()],
    }


def _apply(conference: Conference, c: Cleaned) -> None:
    conference.host = c.host
    conference.host_path = c.host.path
    conference.date = c.date
    conference.title = c.title
    conference.format = c.format
    conference.members_expected = c.members_expected
    conference.members_attending = c.members_attending
    conference.non_member_attendances = c.non_member_attendances
    conference.deadline = c.deadline
    conference.deadline_assignment = c.deadline_assignment
    conference.note = c.note
    conference.total_points = sum(n for _level, n in c.points)
    conference.total_attendees = sum(n for _level, _cat, n in c.attendance)
    conference.search_text = search_text(c.title, c.host, c.note, c.documents)


def search_text(title: str, host, note: str, documents) -> str:
    """The folded text the list's search matches, shared by every viewer of the conference.

    Only what any viewer may know: no document subjects, and symbols of unclassified documents
    only (as in the registry, a classified document shows a viewer without clearance neither
    its symbol nor its subject, and a search must not answer yes/no about them).
    """
    symbols = [d.symbol for d in documents if d.classification == Clearance.NONE]
    return fold(" ".join([title, host.name, host.short_name, note, *symbols]))


def _write_rows(conference: Conference, c: Cleaned) -> None:
    conference.documents.set(c.documents)
    conference.points.all().delete()
    conference.attendance.all().delete()
    ConnectionPoints.objects.bulk_create(
        [ConnectionPoints(conference=conference, level=lv, count=n) for lv, n in c.points]
    )
    Attendance.objects.bulk_create(
        [
            Attendance(conference=conference, level=lv, category=cat, count=n)
            for lv, cat, n in c.attendance
        ]
    )


def _unreadable(actor, conference: Conference) -> list:
    """Linked documents the actor may not read: an edit keeps them (the form never shows them)."""
    if actor is None or getattr(actor, "is_superuser", False):
        return []
    return list(conference.documents.exclude(pk__in=readable_documents(actor).values("pk")))


@transaction.atomic
def record_conference(actor, **values) -> Conference:
    """Record a conference held by `host` (see Cleaned for the fields)."""
    c = _clean(actor, **values)
    conference = Conference(created_by=actor if getattr(actor, "pk", None) else None)
    _apply(conference, c)
    conference.save()
    _write_rows(conference, c)
    record(actor, "conferences.record", conference, unit=c.host, after=values_of(conference))
    return conference


@transaction.atomic
def update_conference(actor, conference: Conference, *, expected_version=None, **values):
    """Edit a conference. Fields not given keep their value; a stale version is refused."""
    conference = (
        Conference.objects.select_for_update(of=("self",))
        .select_related("host")
        .get(pk=conference.pk)
    )
    require(actor, Role.REPORTER, conference.host)
    before = values_of(conference)
    check_version(conference, expected_version, before, EDIT_ACTIONS)
    current = {
        "host": conference.host,
        "date": conference.date,
        "title": conference.title,
        "format": conference.format,
        "documents": list(conference.documents.all()),
        "points": before["points"],
        "attendance": before["attendance"],
        "members_expected": conference.members_expected,
        "members_attending": conference.members_attending,
        "non_member_attendances": conference.non_member_attendances,
        "deadline": conference.deadline,
        "deadline_assignment": conference.deadline_assignment,
        "note": conference.note,
    }
    unknown = set(values) - set(current)
    if unknown:
        raise ValueError(f"unknown conference fields: {sorted(unknown)}")
    if "deadline" in values and "deadline_assignment" not in values:
        current["deadline_assignment"] = None  # a date typed by hand replaces the task's
    hidden = _unreadable(actor, conference)
    current.update(values)
    if "documents" in values:
        current["documents"] = list(values["documents"] or ()) + hidden
    c = _clean(actor, kept=hidden, **current)
    _apply(conference, c)
    conference.version += 1
    conference.save()
    _write_rows(conference, c)
    record(
        actor,
        "conferences.update",
        conference,
        unit=c.host,
        before=before,
        after=values_of(conference),
    )
    return conference
