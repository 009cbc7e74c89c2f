"""The guided flow that issues a plan from a directive or a higher plan, in two pages.

Page 1 (edit): the plan document (its number proposed), the task rows (added, removed or pasted
from a spreadsheet), the assignment rule per task and the obligation for the units below to issue
their own plan. Page 2 (preview): who gets what, counted by running the whole chain of actions
and rolling it back; one confirmation then runs it for real. Without JavaScript each button is a
plain submit (add a row, read the pasted rows, preview, confirm); `plan_flow.js` adds rows, reads
a paste and refreshes the preview as the person types. Every write is `actions.issue.issue_plan`.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trienkhai.accounts.models import Role
from trienkhai.core.dates import today
from trienkhai.documents.models import DocType
from trienkhai.documents.queries import find_by_symbol, readable_documents
from trienkhai.documents.sequence import propose_number
from trienkhai.tracking.actions.issue import PlanRefused, Rule, TaskRow, issue_plan, obligation_row
from trienkhai.tracking.issue_forms import (
    KIND_GROUPS,
    PlanDocumentForm,
    TaskRowFormSet,
    parse_paste,
)
from trienkhai.tracking.models import Plan
from trienkhai.tracking.views.common import can_register_plans, visible_plans
from trienkhai.tree.kinds import UnitKind, kind_label
from trienkhai.units.picker import resolve, resolve_many, unit_label
from trienkhai.units.queries import default_unit

PREFIX = "t"
# Where the actions' refusals go: their field names → the flow's field names.
DOCUMENT_FIELDS = {"implements": "implements_symbol", "tasks": None}
ROW_FIELDS = {
    "cooperating_units": "cooperating",
    "target_value": "target",
    "target_unit": "target",
    "kind": "kinds",
    "lead_unit": "lead_unit",
}


def _source(user, request) -> tuple[object, Plan | None]:
    """The document being implemented, from `?from=<document>` or `?plan=<plan>` (readable)."""
    plan_id = request.GET.get("plan") or ""
    doc_id = request.GET.get("from") or request.POST.get("source") or ""
    if plan_id.isdigit():
        plan = visible_plans(user).filter(pk=int(plan_id)).first()
        if plan is None:
            raise Http404
        return plan.document, plan
    if doc_id.isdigit() and len(doc_id) < 19:
        doc = readable_documents(user).filter(pk=int(doc_id)).select_related("issuing_unit").first()
        if doc is None:
            raise Http404
        parent = Plan.objects.filter(document=doc).first()
        return doc, parent
    return None, None


def _initial(user, source, parent) -> dict:
    unit = default_unit(user, Role.COORDINATOR)
    day = today()
    proposal = propose_number(unit, DocType.PLAN, day) if unit else None
    initial = {
        "issuing_unit": unit,
        "doc_type": DocType.PLAN,
        "date": day,
        "symbol": proposal.symbol if proposal else "",
        "term": proposal.term if proposal else "",
        "default_rule": "commune",
        "requires_plan": True,
        "plan_due": day + datetime.timedelta(days=30),
    }
    if source is not None:
        initial["source"] = source.pk
        initial["subject"] = _("Kế hoạch thực hiện %(type)s %(symbol)s") % {
            "type": source.get_doc_type_display(),
            "symbol": source.symbol,
        }
    return initial


def _document_initial(data) -> dict:
    """The plan-level fields as they were submitted, to show them again unjudged."""
    initial = {name: data.get(name, "") for name in PlanDocumentForm.base_fields}
    initial["default_kinds"] = data.getlist("default_kinds")
    initial["requires_plan"] = bool(data.get("requires_plan"))
    return initial


def _kept_rows(formset) -> list[dict]:
    """The rows as submitted, minus those marked for removal and the blank ones."""
    rows = []
    for form in formset.forms:
        prefix = form.prefix
        raw = {
            name: (
                formset.data.getlist(f"{prefix}-{name}")
                if name == "kinds"
                else formset.data.get(f"{prefix}-{name}", "")
            )
            for name in form.fields
            if name != "DELETE"
        }
        if formset.data.get(f"{prefix}-DELETE"):
            continue
        if not any(v for k, v in raw.items() if k not in ("rule", "kinds")):
            continue
        rows.append(raw)
    return rows


def _rule(user, form, name: str, kinds, units_text, *, default=None):
    """The Rule a choice stands for (None: not assigned), or False after a field error."""
    if name == "default":
        return default
    if name == "none":
        return None
    if name in KIND_GROUPS:
        return Rule("kind", kinds=tuple(KIND_GROUPS[name]))
    if name == "kinds":
        return Rule("kind", kinds=tuple(kinds or ()))
    if name == "units":
        units, errors = resolve_many(user, units_text or "")
        for error in errors:
            form.add_error("units" if "units" in form.fields else "default_units", error)
        return False if errors else Rule("units", units=tuple(units))
    return Rule(name)


class _Invalid(Exception):
    pass


def _build(user, doc_form, formset, source):
    """The action's arguments from valid forms; field errors added (and _Invalid raised) when a
    unit cannot be resolved or something is missing."""
    d = doc_form.cleaned_data
    implements = source
    if implements is None and d.get("implements_symbol"):
        docs = list(find_by_symbol(user, d["implements_symbol"], d.get("implements_date"))[:2])
        if len(docs) != 1:
            doc_form.add_error(
                "implements_symbol" if not docs else "implements_date",
                _("Không tìm thấy văn bản này trong phạm vi của bạn.")
                if not docs
                else _("Có nhiều văn bản mang số này; hãy nhập ngày ban hành."),
            )
        else:
            implements = docs[0]
    issuing_unit, error = resolve(user, d["issuing_unit"], Role.COORDINATOR)
    if issuing_unit is None:
        doc_form.add_error("issuing_unit", error)
    default = _rule(
        user, doc_form, d["default_rule"], d.get("default_kinds"), d.get("default_units")
    )
    rows = []
    line = 0
    for form in formset.forms:
        if form.cleaned_data.get("DELETE") or form.is_blank():
            continue
        line += 1
        form.line = line
        r = form.cleaned_data
        lead = None
        if (r.get("lead_unit") or "").strip():
            lead, error = resolve(user, r["lead_unit"])
            if lead is None:
                form.add_error("lead_unit", error)
        else:
            lead = issuing_unit  # the issuing unit leads unless a row says otherwise
        cooperating, errors = resolve_many(user, r.get("cooperating") or "")
        for error in errors:
            form.add_error("cooperating", error)
        rule = _rule(user, form, r["rule"], r.get("kinds"), r.get("units"), default=default)
        value, unit_text = r.get("target") or ("", "")
        rows.append(
            TaskRow(
                line=line,
                title=r.get("title") or "",
                lead_unit=lead,
                deadline_text=r.get("deadline_text") or "",
                cooperating_units=cooperating,
                deliverable=r.get("deliverable") or "",
                target_value=value or None,
                target_unit=unit_text,
                rule=rule if rule is not False else None,
            )
        )
    invalid = doc_form.errors or any(f.errors for f in formset.forms) or default is False
    if invalid or implements is None:
        raise _Invalid
    obligation_line = None
    if d.get("requires_plan") and d.get("plan_due"):
        obligation_line = len(rows) + 1
        rows.append(
            obligation_row(obligation_line, d["symbol"], d["plan_due"], issuing_unit, default)
        )
    return obligation_line, {
        "implements": implements,
        "issuing_unit": issuing_unit,
        "doc_type": d["doc_type"],
        "symbol": d["symbol"],
        "term": d["term"],
        "date": d["date"],
        "subject": d["subject"],
        "rows": rows,
    }


def _show_refusal(exc: PlanRefused, doc_form, formset, obligation_line) -> list[tuple]:
    """Put each refusal on its field; return the summary lines (row, message) for the page."""
    by_line = {getattr(f, "line", None): f for f in formset.forms}
    summary = []
    for error in exc.errors:
        if error.line is None or error.line == obligation_line:
            field = DOCUMENT_FIELDS.get(error.field, error.field)
            if error.line == obligation_line:
                field = "plan_due" if error.field == "deadline_text" else "default_rule"
            doc_form.add_error(field if field in doc_form.fields else None, error.message)
            summary.append((None, error.message))
            continue
        form = by_line.get(error.line)
        field = ROW_FIELDS.get(error.field, error.field)
        if form is not None:
            form.add_error(field if field in form.fields else None, error.message)
        summary.append((error.line, error.message))
    return summary


def _kind_counts(by_kind: dict[str, int]) -> list[tuple[str, int]]:
    """(label, count) pairs, the kinds in the tree's order (xã, phường, đặc khu …)."""
    order = {k: i for i, k in enumerate(UnitKind.values)}
    return [
        (kind_label(k), n) for k, n in sorted(by_kind.items(), key=lambda x: order.get(x[0], 99))
    ]


def _preview_rows(outcome) -> list[dict]:
    rows = []
    for t in outcome.tasks:
        rows.append(
            {
                "line": t.line,
                "title": t.title,
                "deadline": t.deadline_text,
                "requires_plan": t.requires_plan,
                "units": t.units,
                "by_kind": _kind_counts(t.by_kind),
            }
        )
    return rows


def _context(request, doc_form, formset, source, parent, **extra):
    return {
        "doc_form": doc_form,
        "formset": formset,
        "source": source,
        "parent": parent,
        "carried": [
            (k, v)
            for k, values in request.POST.lists()
            if k not in ("csrfmiddlewaretoken", "step", "paste")
            for v in values
        ],
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def issue(request):
    user = request.user
    if not can_register_plans(user):
        raise PermissionDenied
    source, parent = _source(user, request)
    if request.method == "GET":
        doc_form = PlanDocumentForm(initial=_initial(user, source, parent))
        formset = TaskRowFormSet(prefix=PREFIX, initial=[{}])
        return render(
            request,
            "tracking/issue_form.html",
            _context(request, doc_form, formset, source, parent),
        )

    step = request.POST.get("step", "preview")
    data = request.POST.copy()
    if step in ("add_row", "paste", "edit"):
        formset = TaskRowFormSet(data, prefix=PREFIX)
        rows = _kept_rows(formset)
        if step == "add_row" or not rows and step != "paste":
            rows.append({})
        if step == "paste":
            rows.extend(parse_paste(data.get("paste", "")))
            data["paste"] = ""
        # Shown again for editing, not judged yet: unbound forms holding what was typed.
        doc_form = PlanDocumentForm(initial=_document_initial(data))
        formset = TaskRowFormSet(prefix=PREFIX, initial=rows or [{}])
        return render(
            request,
            "tracking/issue_form.html",
            _context(request, doc_form, formset, source, parent),
        )

    doc_form = PlanDocumentForm(data)
    formset = TaskRowFormSet(data, prefix=PREFIX)
    summary = []
    outcome = None
    valid = doc_form.is_valid() & formset.is_valid()
    arguments = None
    obligation_line = None
    if valid:
        try:
            obligation_line, arguments = _build(user, doc_form, formset, source)
        except _Invalid:
            arguments = None
    if arguments is not None:
        try:
            outcome = issue_plan(user, dry_run=step != "confirm", **arguments)
        except PlanRefused as exc:
            summary = _show_refusal(exc, doc_form, formset, obligation_line)
    partial = request.headers.get("X-Preview") == "1"
    if outcome is not None and step == "confirm":
        total = sum(t.assignments for t in outcome.tasks)
        messages.success(
            request,
            _("Đã ban hành kế hoạch %(symbol)s: %(tasks)s nhiệm vụ, %(n)s lượt giao.")
            % {"symbol": outcome.document.symbol, "tasks": len(outcome.tasks), "n": total},
        )
        return redirect("tracking-plan", pk=outcome.plan.pk)
    context = _context(
        request,
        doc_form,
        formset,
        source,
        parent,
        summary=summary,
        outcome=outcome,
        preview_rows=_preview_rows(outcome) if outcome else [],
        by_kind=_kind_counts(outcome.by_kind) if outcome else [],
        issuing_unit_name=arguments["issuing_unit"].name if arguments else "",
        implements=arguments["implements"] if arguments else None,
        plan_date=date_format(doc_form.cleaned_data["date"], "SHORT_DATE_FORMAT")
        if outcome
        else "",
    )
    if partial:
        return render(request, "tracking/_issue_preview.html", context)
    template = "tracking/issue_preview.html" if outcome else "tracking/issue_form.html"
    return render(request, template, context, status=200 if outcome else 400)


@login_required
@require_GET
def issue_number(request):
    """The proposed number and term for a unit (picked or typed) and a plan type, as JSON."""
    user = request.user
    unit, _error = resolve(user, request.GET.get("unit", ""), Role.COORDINATOR)
    doc_type = request.GET.get("doc_type") or DocType.PLAN
    if unit is None or doc_type not in DocType.values:
        return JsonResponse({"symbol": "", "term": ""})
    proposal = propose_number(unit, doc_type, today())
    return JsonResponse(
        {"symbol": proposal.symbol, "term": proposal.term, "unit": unit_label(unit)}
    )
