"""Conference pages: the list (filters, XLSX), a conference, record and edit forms, the roll-up
by child unit with drill-down (XLSX).

Reads come from `conferences.queries` (scoped on the copied host path; a conference, unit or
document outside the user's reach is a 404). Writes go through `conferences.actions`; a refusal
is shown on the field it names, a stale edit shows what the other person saved.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trienkhai.accounts.classified import readable_log, restrict
from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import is_global, reaches, reaches_unit
from trienkhai.conferences import actions, exports, queries
from trienkhai.conferences.forms import (
    LEVEL_SUGGESTIONS,
    LEVELS_LIST,
    AttendanceFormSet,
    ConferenceForm,
    ListFilterForm,
    PointsFormSet,
    RollupForm,
    attendance_rows,
    point_rows,
)
from trienkhai.conferences.models import Conference
from trienkhai.conferences.timing import Timing, participation_rate, rate_text, timing_of
from trienkhai.core import xlsx
from trienkhai.core.actions import ActionError
from trienkhai.core.dates import today
from trienkhai.core.forms import answer_status, form_error
from trienkhai.core.pagination import paginate
from trienkhai.core.queries import history_for
from trienkhai.documents import queries as doc_queries
from trienkhai.tracking.queries import visible_assignments
from trienkhai.tree.paths import ancestor_paths
from trienkhai.units.forms import unit_by_code
from trienkhai.units.models import Unit
from trienkhai.units.picker import picked_unit
from trienkhai.units.queries import (
    default_unit,
    get_visible_unit,
    visible_units,
)

EXPORT_LIMIT = 20_000


def can_record(user) -> bool:
    return is_global(user) or bool(reaches(user, Role.REPORTER))


def _decorate(conference: Conference) -> Conference:
    conference.timing = timing_of(conference.date, conference.deadline)
    conference.timing_label = Timing.LABELS[conference.timing]
    conference.timing_css = Timing.CSS[conference.timing]
    conference.rate_text = rate_text(
        participation_rate(conference.members_expected, conference.members_attending)
    )
    return conference


def _row_or_form_error(form, exc, row_errors: dict) -> None:
    """A refusal about figure rows goes above those rows; any other on its field."""
    field = getattr(exc, "field", None)
    if field in ("points", "attendance"):
        row_errors[field] = str(getattr(exc, "message", exc))
        form.add_error(None, _("Số liệu chưa hợp lệ: xem các bảng bên dưới."))
        return
    form_error(form, exc)


# --- list --------------------------------------------------------------------------------


def _documents_prefetch(user) -> Prefetch:
    """Each conference's documents the user may know of, flagged `readable`: a classified one
    shows as "Văn bản mật" (no symbol, no subject), one outside the user's reach not at all."""
    return Prefetch(
        "documents", queryset=doc_queries.visible_documents(user).order_by("date", "id")
    )


@login_required
@require_GET
def conference_list(request):
    user = request.user
    documents = list(queries.covered_documents(user))
    form = ListFilterForm(request.GET or None, documents=documents)
    data = form.cleaned_data if form.is_valid() else {}
    unit = None
    if data.get("unit"):
        unit = picked_unit(user, data["unit"])
        if unit is None:
            raise Http404
    document = None
    if data.get("document"):
        document = next((d for d in documents if d.pk == data["document"]), None)
        if document is None:
            raise Http404
    qs = queries.filter_conferences(
        queries.visible_conferences(user),
        unit=unit,
        document=document,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        q=data.get("q") or "",
        timing=data.get("timing") or "",
    ).select_related("host")
    qs = qs.prefetch_related(_documents_prefetch(user))
    if request.GET.get("export") == "xlsx":
        rows = qs.order_by("-date", "-id")[:EXPORT_LIMIT]
        caption = _("Hội nghị học tập, quán triệt — %(scope)s") % {
            "scope": unit.name if unit else _("toàn bộ phạm vi được xem")
        }
        return xlsx.response(
            exports.conference_list(rows, caption), "hoi-nghi-hoc-tap-quan-triet.xlsx"
        )
    page = paginate(request, qs.order_by("-date", "-id"))
    page.object_list = [_decorate(c) for c in page.object_list]
    return render(
        request,
        "conferences/list.html",
        {"form": form, "page": page, "can_record": can_record(user), "unit": unit},
    )


# --- detail ------------------------------------------------------------------------------


def conference_or_404(user, pk) -> Conference:
    conference = queries.get_conference(user, pk)
    if conference is None:
        raise Http404
    return conference


@login_required
@require_GET
def conference_detail(request, pk):
    user = request.user
    conference = _decorate(conference_or_404(user, pk))
    documents = list(
        doc_queries.visible_documents(user).filter(conferences=conference).order_by("date", "id")
    )
    hidden = conference.documents.count() - len(documents)
    return render(
        request,
        "conferences/detail.html",
        {
            "c": conference,
            "documents": documents,
            "hidden_documents": hidden,
            "points": conference.points.all(),
            "attendance": conference.attendance.all(),
            "can_edit": reaches_unit(user, conference.host, Role.REPORTER),
            "history": readable_log(request.user, history_for(conference)[:50]),
        },
    )


# --- record / edit -----------------------------------------------------------------------


def _assignments_for(user, code: str | None):
    """The host's tracked assignments (latest first), to take a deadline from."""
    if not code:
        return []
    unit = picked_unit(user, code)
    if unit is None:
        return []
    return list(
        restrict(visible_assignments(user), user)
        .filter(unit=unit)
        .select_related("task")
        .order_by("-due", "-id")[:100]
    )


def _resolve_documents(user, form, host: Unit | None) -> list:
    """Each typed symbol as one readable document; the host's own or its ancestors' first."""
    docs = []
    for symbol in form.cleaned_data["documents"]:
        found = list(doc_queries.find_by_symbol(user, symbol)[:20])
        if host is not None and len(found) > 1:
            above = set(ancestor_paths(host.path)) | {host.path}
            near = [d for d in found if d.issuing_unit.path in above]
            found = near or found
        if not found:
            form.add_error(
                "documents",
                _("Không tìm thấy văn bản %(symbol)s trong phạm vi của bạn.") % {"symbol": symbol},
            )
        elif len(found) > 1:
            form.add_error(
                "documents",
                _("Có nhiều văn bản mang số %(symbol)s: hãy liên hệ quản trị để phân biệt.")
                % {"symbol": symbol},
            )
        else:
            docs.append(found[0])
    return docs


def _conflict_items(current: dict) -> list[tuple[str, str]]:
    labels = {
        "date": _("Ngày tổ chức"),
        "title": _("Tên hội nghị"),
        "total_points": _("Số điểm cầu"),
        "total_attendees": _("Số đại biểu"),
        "members_expected": _("Số đảng viên phải tham gia"),
        "members_attending": _("Số đảng viên tham gia"),
        "deadline": _("Thời hạn phải tổ chức"),
        "note": _("Ghi chú"),
    }
    out = []
    for key, label in labels.items():
        value = current.get(key)
        if isinstance(value, str) and key in ("date", "deadline") and value:
            value = datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        out.append((label, "—" if value in (None, "") else value))
    return out


def _initial(user, conference: Conference) -> dict:
    """The form's values; the documents the user may not read are neither shown nor dropped
    (the action keeps them)."""
    readable = doc_queries.readable_documents(user).filter(conferences=conference)
    return {
        "host": conference.host,
        "date": conference.date,
        "title": conference.title,
        "format": conference.format,
        "documents": "\n".join(d.symbol for d in readable.order_by("date", "id")),
        "members_expected": conference.members_expected,
        "members_attending": conference.members_attending,
        "non_member_attendances": conference.non_member_attendances,
        "deadline": None if conference.deadline_assignment_id else conference.deadline,
        "deadline_assignment": conference.deadline_assignment_id,
        "note": conference.note,
        "version": conference.version,
    }


def _edit_page(request, conference: Conference | None):
    user = request.user
    post = request.POST if request.method == "POST" else None
    if conference is None:
        host = default_unit(user, Role.REPORTER)
        initial = {"host": request.GET.get("host") or host or "", "date": today()}
        points_initial = attendance_initial = None
    else:
        initial = _initial(user, conference)
        points_initial = [{"level": p.level, "count": p.count} for p in conference.points.all()]
        attendance_initial = [
            {"level": a.level, "category": a.category, "count": a.count}
            for a in conference.attendance.all()
        ]
    host_code = (post or {}).get("host") or initial.get("host")
    if isinstance(host_code, Unit):
        host_code = host_code.code
    form = ConferenceForm(
        post,
        initial=initial,
        assignments=_assignments_for(user, host_code),
        editing=conference is not None,
    )
    points = PointsFormSet(post, initial=points_initial, prefix="points")
    attendance = AttendanceFormSet(post, initial=attendance_initial, prefix="attendance")
    row_errors: dict[str, str] = {}
    conflict = None
    if post is not None:
        valid = form.is_valid() & points.is_valid() & attendance.is_valid()
        if valid:
            data = form.cleaned_data
            host = unit_by_code(user, form, "host", data["host"])
            docs = _resolve_documents(user, form, host)
            assignment = None
            if data.get("deadline_assignment"):
                assignment = (
                    visible_assignments(user).filter(pk=data["deadline_assignment"]).first()
                )
            if not form.errors:
                values = {
                    "host": host,
                    "date": data["date"],
                    "title": data["title"],
                    "format": data["format"],
                    "documents": docs,
                    "points": point_rows(points),
                    "attendance": attendance_rows(attendance),
                    "members_expected": data["members_expected"],
                    "members_attending": data["members_attending"],
                    "non_member_attendances": data["non_member_attendances"],
                    "deadline": data["deadline"],
                    "deadline_assignment": assignment,
                    "note": data["note"],
                }
                try:
                    if conference is None:
                        saved = actions.record_conference(user, **values)
                    else:
                        saved = actions.update_conference(
                            user, conference, expected_version=data["version"], **values
                        )
                except actions.StaleEdit as exc:
                    conflict = _conflict_items(exc.current)
                    form.add_error(None, str(exc.message))
                    posted = request.POST.copy()
                    posted["version"] = exc.current["version"]
                    form.data = posted
                except ActionError as exc:
                    _row_or_form_error(form, exc, row_errors)
                else:
                    messages.success(request, _("Đã lưu hội nghị."))
                    return redirect("conference-detail", pk=saved.pk)
    return render(
        request,
        "conferences/form.html",
        {
            "form": form,
            "points": points,
            "attendance": attendance,
            "conference": conference,
            "conflict": conflict,
            "row_errors": row_errors,
            "levels_list": LEVELS_LIST,
            "level_suggestions": LEVEL_SUGGESTIONS,
        },
        status=answer_status(request, conflict),
    )


@login_required
@require_http_methods(["GET", "POST"])
def conference_create(request):
    if not can_record(request.user):
        raise PermissionDenied
    return _edit_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def conference_edit(request, pk):
    conference = conference_or_404(request.user, pk)
    if not reaches_unit(request.user, conference.host, Role.REPORTER):
        raise PermissionDenied
    return _edit_page(request, conference)


# --- roll-up -----------------------------------------------------------------------------


@login_required
@require_GET
def rollup(request):
    user = request.user
    documents = list(queries.covered_documents(user))
    form = RollupForm(request.GET or None, documents=documents)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("unit"):
        unit = get_visible_unit(user, data["unit"])
        if unit is None:
            raise Http404
    else:
        unit = default_unit(user)
    if unit is None:
        return render(request, "conferences/rollup.html", {"form": form, "unit": None})
    document = None
    if data.get("document"):
        document = next((d for d in documents if d.pk == data["document"]), None)
        if document is None:
            raise Http404
    date_from, date_to = data.get("date_from"), data.get("date_to")
    rows = queries.rollup(user, unit=unit, document=document, date_from=date_from, date_to=date_to)
    total = queries.totals(rows)
    by_doc = queries.by_document(user, unit=unit, date_from=date_from, date_to=date_to)
    if request.GET.get("export") == "xlsx":
        caption = _("%(unit)s — %(document)s%(period)s") % {
            "unit": unit.name,
            "document": document.symbol if document else _("tất cả văn bản"),
            "period": _period_text(date_from, date_to),
        }
        return xlsx.response(
            exports.rollup(rows, total, by_doc, caption), "hoi-nghi-theo-don-vi.xlsx"
        )
    breadcrumbs = list(
        visible_units(user).filter(path__in=ancestor_paths(unit.path)).order_by("path")
    )
    return render(
        request,
        "conferences/rollup.html",
        {
            "form": form,
            "unit": unit,
            "document": document,
            "rows": rows,
            "total": total,
            "by_document": by_doc,
            "breadcrumbs": breadcrumbs,
            "period": _period_text(date_from, date_to),
        },
    )


def _period_text(date_from, date_to) -> str:
    if not date_from and not date_to:
        return ""
    return _(", từ %(start)s đến %(end)s") % {
        "start": date_format(date_from, "SHORT_DATE_FORMAT") if date_from else "…",
        "end": date_format(date_to, "SHORT_DATE_FORMAT") if date_to else "…",
    }
