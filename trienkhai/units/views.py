"""The organisation tree, a unit's page with its history and reorganisations, and the unit import.

Every read goes through `units.queries` (scoped in SQL); every write through `units.actions` or
`units.import_actions`. A unit outside the user's reach is a 404.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_POST

from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import reaches_unit
from trienkhai.core.actions import ActionError
from trienkhai.core.pagination import paginate
from trienkhai.core.queries import history_for
from trienkhai.units import actions, queries
from trienkhai.units.forms import (
    REORGANISATION_FORMS,
    AsOfForm,
    ImportForm,
    TreeFilterForm,
    parse_date,
)
from trienkhai.units.import_actions import import_units as run_import
from trienkhai.units.imports import ImportFileError, read_rows, template_csv, template_xlsx
from trienkhai.units.kinds import kind_label

CHILDREN_LIMIT = 1000
ERRORS_SHOWN = 1000


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
        context["history"] = context["page"]
        for s in context["states"]:
            s.kind_name = kind_label(s.kind)
        return context
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


@login_required
def import_view(request):
    """Upload a CSV or XLSX file; every row is checked before anything is written."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            rows = read_rows(form.cleaned_data["file"])
        except ImportFileError as exc:
            form.add_error("file", str(exc.message))
        else:
            result = run_import(request.user, rows)
            if result.ok:
                messages.success(request, _("Đã nhập xong tệp đơn vị."))
            return render(
                request,
                "units/import_result.html",
                {
                    "result": result,
                    "errors": result.errors[:ERRORS_SHOWN],
                    "more_errors": max(0, len(result.errors) - ERRORS_SHOWN),
                    "filename": form.cleaned_data["file"].name,
                },
                status=200 if result.ok else 400,
            )
    return render(request, "units/import.html", {"form": form})


@login_required
@require_GET
def import_template(request, fmt):
    if fmt == "csv":
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="mau_nhap_don_vi.{fmt}"'
    return response
