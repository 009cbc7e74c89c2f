"""Pages of report requests: the list (what my units must send, what I asked for, what waits
for my review), a new request, and a request's progress by child unit."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import granted_units, holds, is_global, reaches, unit_scope
from trienkhai.core.actions import ActionError
from trienkhai.core.dates import today
from trienkhai.core.forms import form_error
from trienkhai.core.pagination import paginate
from trienkhai.documents.numbering import InvalidDocumentNumber, parse_symbol
from trienkhai.documents.queries import find_by_symbol
from trienkhai.reports import figures, outline, queries
from trienkhai.reports.actions import requests as request_actions
from trienkhai.reports.forms import ManualFormSet, RequestForm, SectionFormSet
from trienkhai.reports.models import ReportState
from trienkhai.units.picker import resolve, unit_label
from trienkhai.units.queries import default_unit

STATE_FILTERS = [("", _("Tất cả")), ("late", _("Chậm, quá hạn"))] + list(ReportState.choices)


def can_request(user) -> bool:
    return is_global(user) or bool(reaches(user, Role.COORDINATOR))


@login_required
@require_GET
def report_list(request):
    user, day = request.user, today()
    mine = (
        queries.visible_reports(user)
        .filter(unit_id__in=granted_units(user, Role.REPORTER), own=False)
        .select_related("request__unit", "unit")
        .order_by("state", "due", "id")
    )
    asked = (
        queries.visible_requests(user)
        .filter(unit_scope(user, "unit", Role.COORDINATOR))
        .select_related("unit", "answers")
        .order_by("-deadline", "-id")
    )
    waiting = (
        queries.visible_reports(user)
        .filter(unit_scope(user, "request__unit", Role.COORDINATOR), state=ReportState.SUBMITTED)
        .select_related("request", "unit")
        .order_by("submitted_on", "id")
    )
    return render(
        request,
        "reports/list.html",
        {
            "mine": paginate(request, mine) if holds(user, Role.REPORTER) else None,
            "asked": list(asked[:100]),
            "waiting": list(waiting[:100]),
            "can_request": can_request(user),
            "today": day,
        },
    )


def _figure_choices():
    return [(code, f"{f.label}") for code, f in figures.FIGURES.items()]


def _directives(user, form):
    text = form.cleaned_data.get("directives") or ""
    found = []
    for piece in [p.strip() for p in text.replace(",", ";").split(";") if p.strip()]:
        try:
            symbol = parse_symbol(piece).format()
        except InvalidDocumentNumber as exc:
            form.add_error("directives", str(exc))
            return None
        docs = list(find_by_symbol(user, symbol)[:2])
        if not docs:
            form.add_error(
                "directives",
                _("Không tìm thấy văn bản %(symbol)s trong phạm vi của bạn.") % {"symbol": piece},
            )
            return None
        found.append(max(docs, key=lambda d: d.date))
    if not found:
        form.add_error("directives", _("Hãy nhập văn bản được báo cáo."))
        return None
    return found


def _initial(user) -> dict:
    day = today()
    unit = default_unit(user, Role.COORDINATOR)
    half = datetime.date(day.year, 6, 30) if day.month <= 7 else datetime.date(day.year, 12, 31)
    return {
        "unit": unit_label(unit) if unit else "",
        "kind": "six_months",
        "period_start": datetime.date(day.year, 1, 1),
        "period_end": half,
        "deadline": max(day, half) + datetime.timedelta(days=10),
        "figures": list(figures.DEFAULT_CODES),
    }


@login_required
@require_http_methods(["GET", "POST"])
def new_request(request):
    user = request.user
    if not can_request(user):
        raise Http404
    choices = _figure_choices()
    if request.method == "POST":
        form = RequestForm(request.POST, figure_choices=choices)
        sections = SectionFormSet(request.POST, prefix="s")
        manual = ManualFormSet(request.POST, prefix="m", form_kwargs={"figure_choices": choices})
        valid = form.is_valid() & sections.is_valid() & manual.is_valid()
        if valid:
            unit, error = resolve(user, form.cleaned_data["unit"], Role.COORDINATOR)
            if unit is None:
                form.add_error("unit", error)
            directives = _directives(user, form)
            if unit is not None and directives:
                d = form.cleaned_data
                try:
                    made = request_actions.create_request(
                        user,
                        unit=unit,
                        title=d["title"],
                        kind=d["kind"],
                        directives=directives,
                        period_start=d["period_start"],
                        period_end=d["period_end"],
                        deadline=d["deadline"],
                        rule=d["rule"],
                        kinds=d.get("kinds") or (),
                        sections=[s for s in sections.cleaned_data if s],
                        figure_codes=d.get("figures") or (),
                        manual=[m for m in manual.cleaned_data if m],
                    )
                except ActionError as exc:
                    form_error(form, exc)
                else:
                    messages.success(
                        request,
                        _("Đã gửi yêu cầu báo cáo tới %(n)s đơn vị.")
                        % {"n": made.reports.filter(own=False).count()},
                    )
                    return redirect("reports-request", made.pk)
        status = 400
    else:
        form = RequestForm(initial=_initial(user), figure_choices=choices)
        sections = SectionFormSet(
            prefix="s",
            initial=[
                {"number": n, "title": str(t), "facts": f, "guidance": str(g)}
                for n, t, f, g in outline.DEFAULT_OUTLINE
            ],
        )
        manual = ManualFormSet(prefix="m", form_kwargs={"figure_choices": choices})
        status = 200
    return render(
        request,
        "reports/new.html",
        {"form": form, "sections": sections, "manual": manual},
        status=status,
    )


@login_required
@require_GET
def request_detail(request, pk):
    user = request.user
    found = (
        queries.visible_requests(user)
        .select_related("unit", "answers__unit", "answers__request")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    day = today()
    state = request.GET.get("state", "")
    if state not in dict(STATE_FILTERS):
        state = ""
    progress = queries.progress_by_child(user, found, day)
    page = paginate(request, queries.reports_of_request(user, found, state=state))
    return render(
        request,
        "reports/request.html",
        {
            "req": found,
            "directives": list(found.directives.all()),
            "sections": list(found.sections.all()),
            "indicators": list(found.indicators.all()),
            "total": progress[0],
            "lines": progress[1:],
            "page": page,
            "state": state,
            "states": STATE_FILTERS,
            "today": day,
            "own_url": reverse("reports-report", args=[found.answers_id])
            if found.answers_id
            else "",
        },
    )
