"""The organisation tree, a unit's page with its history and reorganisations, and the unit import.

Every read goes through `units.queries` (scoped in SQL); every write through `units.actions` or
`units.imports.actions`. A unit outside the user's reach is a 404.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trienkhai.accounts.classified import readable_log
from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import reaches_unit
from trienkhai.core import registry
from trienkhai.core.actions import ActionError
from trienkhai.core.dates import today
from trienkhai.core.pagination import paginate
from trienkhai.core.queries import history_for
from trienkhai.tree.kinds import kind_label
from trienkhai.units import actions, picker, queries
from trienkhai.units.forms import (
    REORGANISATION_FORMS,
    AsOfForm,
    ImportForm,
    TreeFilterForm,
    parse_date,
)
from trienkhai.units.imports import jobs as import_jobs
from trienkhai.units.imports.actions import can_import
from trienkhai.units.imports.files import (
    ImportFileError,
    Limits,
    inspect_file,
    template_csv,
    template_xlsx,
    too_big_message,
)
from trienkhai.units.models import UnitImport

CHILDREN_LIMIT = 1000
ERRORS_SHOWN = 1000
FORM_OVERHEAD = 64 * 1024  # multipart boundaries and the other fields around the file


def _visible_or_404(user, pk: int):
    unit = queries.get_visible_unit(user, pk)
    if unit is None:
        raise Http404
    return unit


def _nodes(items, *, as_of=None) -> list[dict]:
    """Tree nodes from Unit rows (today) or UnitState rows (as of a date), fetched with LIMIT+1."""
    nodes = []
    for item in items:
        if as_of is None:
            nodes.append(
                {
                    "pk": item.pk,
                    "code": item.code,
                    "name": item.name,
                    "kind": kind_label(item.kind),
                    "closed": item.valid_to,
                    "has_children": item.has_children,
                }
            )
        else:
            nodes.append(
                {
                    "pk": item.unit_id,
                    "code": item.unit.code,
                    "name": item.name,
                    "kind": kind_label(item.kind),
                    "closed": None,
                    "has_children": item.has_children,
                }
            )
    return nodes


def _tree_query(as_of, closed: bool) -> str:
    params = {}
    if as_of:
        params["as_of"] = as_of.isoformat()
    if closed:
        params["closed"] = "1"
    return f"?{urlencode(params)}" if params else ""


def _node_context(items, as_of, closed) -> dict:
    items = list(items[: CHILDREN_LIMIT + 1])
    return {
        "nodes": _nodes(items[:CHILDREN_LIMIT], as_of=as_of),
        "more": len(items) > CHILDREN_LIMIT,
        "limit": CHILDREN_LIMIT,
        "tree_query": _tree_query(as_of, closed),
        "detail_query": f"?{urlencode({'as_of': as_of.strftime('%d/%m/%Y')})}" if as_of else "",
    }


@login_required
@require_GET
def tree(request):
    """The user's roots; deeper levels load on demand through `children`."""
    form = TreeFilterForm(request.GET or None)
    as_of, closed, q = None, False, ""
    if form.is_valid():
        as_of = form.cleaned_data["as_of"]
        closed = form.cleaned_data["closed"]
        q = form.cleaned_data["q"].strip()
    if as_of:
        roots = queries.roots_as_of(request.user, as_of)
    else:
        roots = queries.children(request.user, None, include_closed=closed)
    context = {"form": form, "as_of": as_of, "closed": closed, "q": q}
    context.update(_node_context(roots, as_of, closed))
    if q:
        results = list(queries.search(request.user, q, include_closed=closed or bool(as_of)))
        paths = queries.full_path_names(results)
        context["results"] = [
            {"unit": u, "path": paths[u.pk], "kind": kind_label(u.kind)} for u in results
        ]
    return render(request, "units/tree.html", context)


@login_required
@require_GET
def children(request, pk):
    """An HTML fragment of a node's children: one indexed query, whatever the tree's size."""
    unit = _visible_or_404(request.user, pk)
    as_of = parse_date(request.GET.get("as_of"))
    closed = request.GET.get("closed") == "1"
    if as_of:
        items = queries.children_as_of(request.user, unit, as_of)
    else:
        items = queries.children(request.user, unit, include_closed=closed)
    return render(request, "units/_nodes.html", _node_context(items, as_of, closed))


def _detail_context(request, unit, forms=None) -> dict:
    user = request.user
    tab = request.GET.get("tab", "info")
    as_of_form = AsOfForm(request.GET if "as_of" in request.GET else None)
    ancestors = queries.ancestry(unit)
    preds, succs = queries.reorganisation_links(user, unit)
    can_admin = reaches_unit(user, unit, Role.ADMINISTRATOR) and unit.valid_to is None
    context = {
        "unit": unit,
        "kind": kind_label(unit.kind),
        "tab": "history" if tab == "history" else "info",
        "breadcrumb": [(a, reaches_unit(user, a)) for a in ancestors],
        "parent_visible": unit.parent is not None and reaches_unit(user, unit.parent),
        "predecessors": preds,
        "successors": succs,
        "as_of_form": as_of_form,
        "can_admin": can_admin,
    }
    if context["tab"] == "history":
        context["states"] = unit.states.select_related("parent").order_by("valid_from")
        context["page"] = paginate(request, history_for(unit))
        context["history"] = readable_log(request.user, context["page"])
        for s in context["states"]:
            s.kind_name = kind_label(s.kind)
        return context
    context["page_panels"] = [
        shown
        for _name, build in registry.entries("units.page_panels")
        if (shown := build(user, unit, today())) is not None
    ]
    kids = list(queries.open_children(user, unit)[: CHILDREN_LIMIT + 1])
    context["children"] = kids[:CHILDREN_LIMIT]
    context["more_children"] = len(kids) > CHILDREN_LIMIT
    if as_of_form.is_bound and as_of_form.is_valid() and as_of_form.cleaned_data["as_of"]:
        date = as_of_form.cleaned_data["as_of"]
        state = queries.state_on(unit, date)
        context["as_of"] = date
        context["as_of_state"] = state
        if state is not None:
            state.kind_name = kind_label(state.kind)
            context["as_of_children"] = _nodes(
                queries.children_as_of(user, unit, date)[:CHILDREN_LIMIT], as_of=date
            )
    if can_admin:
        bound = forms or {}
        context["reorg_forms"] = [
            (op, REORG_TITLES[op], bound.get(op) or _initial_form(op, unit, user))
            for op in REORGANISATION_FORMS
        ]
        context["open_form"] = next(iter(bound), None)
    return context


REORG_TITLES = {
    "rename": _l("Đổi tên"),
    "move": _l("Điều chuyển sang đơn vị cấp trên khác"),
    "merge": _l("Hợp nhất vào đơn vị khác"),
    "split": _l("Chia tách thành các đơn vị mới"),
    "dissolve": _l("Giải thể"),
}


def _initial_form(op, unit, user):
    initial = {"name": unit.name, "short_name": unit.short_name} if op == "rename" else None
    return REORGANISATION_FORMS[op](initial=initial, user=user, unit=unit, prefix=op)


@login_required
@require_GET
def detail(request, pk):
    unit = _visible_or_404(request.user, pk)
    return render(request, "units/detail.html", _detail_context(request, unit))


def _apply(op: str, user, unit, data: dict):
    """Run the reorganisation; return the success message."""
    dated = {"date": data["date"], "confirm_backdated": data["confirm_backdated"]}
    if op == "rename":
        actions.rename_unit(user, unit, name=data["name"], short_name=data["short_name"], **dated)
        return _("Đã đổi tên đơn vị.")
    if op == "move":
        actions.move_unit(user, unit, new_parent=data["parent_code"], **dated)
        return _("Đã chuyển đơn vị sang “%(parent)s”.") % {"parent": data["parent_code"].name}
    if op == "merge":
        into = actions.merge_units(
            user, units=[unit], into=data["into_code"], note=data["note"], **dated
        )
        return _("Đã hợp nhất vào “%(unit)s”.") % {"unit": into.name}
    if op == "split":
        specs = [{**spec, "kind": unit.kind, "parent": unit.parent} for spec in data["successors"]]
        new = actions.split_unit(
            user, unit, into=specs, work_to=data["work_to"], note=data["note"], **dated
        )
        return _("Đã chia tách thành %(n)s đơn vị mới.") % {"n": len(new)}
    actions.dissolve_unit(user, unit, successor=data["successor_code"], note=data["note"], **dated)
    return _("Đã giải thể đơn vị.")


@login_required
@require_POST
def reorganise(request, pk, op):
    """One reorganisation form posted from the unit's page; refusals are shown in the form."""
    unit = _visible_or_404(request.user, pk)
    if op not in REORGANISATION_FORMS:
        raise Http404
    if not reaches_unit(request.user, unit, Role.ADMINISTRATOR):
        raise PermissionDenied
    form = REORGANISATION_FORMS[op](request.POST, user=request.user, unit=unit, prefix=op)
    if form.is_valid():
        try:
            message = _apply(op, request.user, unit, form.cleaned_data)
        except actions.BackdateUnconfirmed as exc:
            form.ask_backdate_confirmation(str(exc.message))
        except ActionError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, str(exc.message))
        else:
            messages.success(request, message)
            return redirect("unit-detail", pk=unit.pk)
    unit.refresh_from_db()
    return render(request, "units/detail.html", _detail_context(request, unit, {op: form}))


class _LimitedUpload(FileUploadHandler):
    """Counts an upload's bytes as they arrive and drops the file once it passes the limit.

    Runs before Django's memory and temporary-file handlers, so nothing past the limit is kept
    anywhere: the parser reads the rest of the body and throws it away (SkipFile).
    """

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.too_big = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.too_big = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def _import_page(request, form, status=200):
    recent = queries.recent_imports(request.user)[:10]
    return render(request, "units/import.html", {"form": form, "recent": recent}, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@csrf_exempt  # the token is checked by `_receive_import`, after the upload limit is in place
def import_view(request):
    """Upload a CSV or XLSX file; administrators only, and never more than the limits allow.

    The size is judged before the body is read: from Content-Length when the browser sends it,
    else while the file streams in. The upload handlers must be set before anything reads the
    body, which the CSRF check does, hence the exemption here and `csrf_protect` below.
    """
    if not can_import(request.user):
        raise PermissionDenied
    limits = Limits.from_settings()
    if request.method != "POST":
        return _import_page(request, ImportForm())
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limits.max_bytes + FORM_OVERHEAD:
        form = ImportForm({}, {})
        form.is_valid()
        form.errors["file"] = form.error_class([too_big_message(limits)])
        return _import_page(request, form, status=413)
    handler = _LimitedUpload(request, limits.max_bytes)
    request.upload_handlers.insert(0, handler)
    return _receive_import(request, handler, limits)


@csrf_protect
def _receive_import(request, handler, limits):
    form = ImportForm(request.POST, request.FILES)
    valid = form.is_valid()
    if handler.too_big:
        form.errors["file"] = form.error_class([too_big_message(limits)])
        return _import_page(request, form, status=413)
    if valid:
        upload = form.cleaned_data["file"]
        try:
            info = inspect_file(upload, limits)
            record = import_jobs.submit(
                request.user,
                upload,
                info,
                language=translation.get_language() or settings.LANGUAGE_CODE,
                request_id=getattr(request, "request_id", ""),
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc.message))
        else:
            return redirect("unit-import-detail", pk=record.pk)
    return _import_page(request, form, status=400)


def _progress_text(record) -> str:
    def n(value):
        return number_format(value, force_grouping=True)

    State = UnitImport.State
    if record.state == State.READING:
        return _("Đã đọc %(n)s dòng.") % {"n": n(record.rows)}
    if record.state == State.CHECKING:
        return _("Đang kiểm tra %(n)s dòng.") % {"n": n(record.rows)}
    if record.state == State.APPLYING:
        return _("Đã ghi %(done)s trên %(total)s thay đổi.") % {
            "done": n(record.done),
            "total": n(record.total),
        }
    return ""


def _import_or_404(user, pk):
    record = queries.recent_imports(user).filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


@login_required
@require_GET
def import_detail(request, pk):
    """An import's page: a progress bar while it runs, then its counts or its errors."""
    record = _import_or_404(request.user, pk)
    if not record.finished:
        return render(
            request,
            "units/import_progress.html",
            {"record": record, "progress_text": _progress_text(record)},
        )
    return render(
        request,
        "units/import_result.html",
        {
            "record": record,
            "errors": record.errors[:ERRORS_SHOWN],
            "more_errors": max(0, record.error_count - min(len(record.errors), ERRORS_SHOWN)),
        },
    )


@login_required
@require_GET
def import_status(request, pk):
    """The import's progress for the page's script (static/trienkhai/js/unit_import.js)."""
    record = _import_or_404(request.user, pk)
    return JsonResponse(
        {
            "state": record.state,
            "label": str(record.get_state_display()),
            "finished": record.finished,
            "rows": record.rows,
            "done": record.done,
            "total": record.total,
            "text": _progress_text(record),
        }
    )


@login_required
@require_GET
def import_template(request, fmt):
    if not can_import(request.user):
        raise PermissionDenied
    if fmt == "csv":
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="mau_nhap_don_vi.{fmt}"'
    return response


@login_required
@require_GET
def pick(request):
    """The picker's options as JSON: open units in the user's reach for `role` whose name or code
    contains the typed words (diacritics ignored), at most `picker.LIMIT`."""
    role = request.GET.get("role") or Role.VIEWER
    if role not in Role.values:
        role = Role.VIEWER
    kinds = [k for k in (request.GET.get("kinds") or "").split(",") if k]
    query = (request.GET.get("q") or "")[:100]
    units = picker.search(request.user, query, role, kinds=kinds)
    return JsonResponse(
        {
            "results": [
                {
                    "code": u.code,
                    "name": u.name,
                    "label": picker.unit_label(u),
                    "kind": kind_label(u.kind),
                    "parent": u.parent.name if u.parent_id else "",
                }
                for u in units
            ]
        }
    )
