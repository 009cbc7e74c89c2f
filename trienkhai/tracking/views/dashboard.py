"""The roll-up dashboard: coverage, counts by child, ranking, overdue list and trend for a unit.

Every figure comes from `tracking.queries` (scoped on the copied unit path); a unit or directive
outside the user's reach is a 404. `?export=…` returns the same table as an XLSX file. The view
gathers the figures; `tracking/dashboard.html` and its `_dashboard_*.html` panels lay them out.
"""

import calendar
import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from trienkhai.accounts.scope import document_access
from trienkhai.core import xlsx
from trienkhai.core.dates import today
from trienkhai.core.numbers import int_formatter
from trienkhai.core.replica import replica_reads
from trienkhai.documents.models import Document
from trienkhai.documents.numbering import InvalidDocumentNumber, parse_symbol
from trienkhai.tracking import charts, exports, queries
from trienkhai.tracking.forms import EXPORTS, DashboardForm
from trienkhai.tracking.panels import panels
from trienkhai.tracking.status import Status
from trienkhai.tree.paths import ancestor_paths
from trienkhai.units.areas import cached_for
from trienkhai.units.queries import default_unit, get_visible_unit, visible_units

OVERDUE_PAGE = 50
MISSING_SHOWN = 50  # units without a plan listed on the page; the export lists them all
RANKING_ENDS = 10  # a long ranking shows its best and worst ten; the export holds every line
TREND_POINTS = 6
SUGGESTED_DIRECTIVES = 50


def readable_directives(user):
    """Root directives that some plan implements and that the user may read."""
    visible, readable = document_access(user)
    return Document.objects.filter(visible & readable).filter(plans_for_directive__isnull=False)


def directives_for(user):
    """The newest readable directives: the picker's suggestions (any other can be typed)."""
    return readable_directives(user).distinct().order_by("-date", "-id")[:SUGGESTED_DIRECTIVES]


def find_directive(user, text: str) -> Document | None:
    """The readable directive named by `text`: its id (links) or its number and symbol."""
    text = text.strip()
    directives = readable_directives(user)
    if text.isdigit():
        return directives.filter(pk=int(text)).distinct().first()
    try:
        symbol = parse_symbol(text).format()
    except InvalidDocumentNumber:
        symbol = text
    return directives.filter(symbol__iexact=symbol).distinct().order_by("-date", "-id").first()


def months_back(day: datetime.date, n: int) -> datetime.date:
    month0 = day.year * 12 + day.month - 1 - n
    year, month = divmod(month0, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def trend_points(as_of: datetime.date) -> list[datetime.date]:
    return [months_back(as_of, n) for n in range(TREND_POINTS - 1, -1, -1)]


def drill_href(request):
    """`unit_pk -> "?…&unit=pk"`: the page's own query with another unit and the first page.

    Built once per page rather than a `{% querystring %}` per row (hundreds of rows).
    """
    params = request.GET.copy()
    for key in ("unit", "opage", "export"):
        params.pop(key, None)
    prefix = "?" + (params.urlencode() + "&" if params else "")
    return lambda pk: f"{prefix}unit={pk}"


def _figures_as_text(lines, request, fmt) -> None:
    """Attach `href` (drill-down) and `figures` (the counts by status, as text in the reader's
    format) to roll-up and ranking lines, and `total_text`.

    The text is made once per number here, not by a `{{ n }}` per cell (a province's page has
    thousands of cells, and the template's localisation looks the format up every time).
    """
    href = drill_href(request)
    for row in lines:
        row.href = href(row.unit.pk) if row.unit is not None and not row.own else None
        row.figures = [fmt(row.counts[s]) for s in Status.ORDER]
        row.total_text = fmt(row.total)


TARGET_TASKS = 5  # tasks with a numeric target shown on the page; the export holds them all


def _targets(user, *, unit, directive, as_of, href=None, limit=TARGET_TASKS) -> list[dict]:
    """For each task with a numeric target under `unit`: its period on `as_of`, reached against
    target by child (each child a drill-down) and the total."""
    out = []
    tasks = queries.targeted_tasks(user, unit=unit, directive=directive).order_by(
        "-plan__document__date", "-id"
    )
    for task in tasks[:limit]:
        period = queries.target_period(task, as_of)
        if period is None:
            continue
        lines = queries.target_rollup(user, unit=unit, task=task, occurrence=period)
        if not lines:
            continue
        if href is not None:
            for line in lines:
                line.href = href(line.unit.pk) if line.unit is not None and not line.own else None
        out.append(
            {
                "task": task,
                "period": period,
                "lines": lines,
                "total": queries.target_total(unit, task, lines),
            }
        )
    return out


def _rate(row) -> str | None:
    rate = row.on_time_rate
    return None if rate is None else queries.percent_text(round(rate * 1000), 1000)


def _period(data) -> tuple[datetime.date, datetime.date, datetime.date]:
    """(as of, start, end): as of today, the ranking from 1 January of the end's year."""
    as_of = data.get("as_of") or today()
    end = data.get("end") or as_of
    start = data.get("start") or datetime.date(end.year, 1, 1)
    if start > end:
        start = datetime.date(end.year, 1, 1)
    return as_of, start, end


def _directive(user, data) -> tuple[Document | None, str | None]:
    """The chosen directive, or why none was found for what was typed."""
    if not data.get("directive"):
        return None, None
    directive = find_directive(user, data["directive"])
    if directive is not None:
        return directive, None
    return None, _(
        "Không tìm thấy văn bản gốc “%(text)s” trong các văn bản bạn được xem. Hãy nhập "
        "đúng số, ký hiệu hoặc chọn trong danh sách gợi ý."
    ) % {"text": data["directive"]}


def _form_as_used(request, form, directives, directive, as_of, start, end) -> DashboardForm:
    """The filters as applied: the dates actually used, also those left empty (defaults), and
    the directive by its symbol. A refused query keeps its form and errors."""
    if not form.is_bound:
        return DashboardForm(
            initial={"as_of": as_of, "start": start, "end": end}, directives=directives
        )
    if not form.is_valid():
        return form
    shown = request.GET.copy()
    for key, value in (("as_of", as_of), ("start", start), ("end", end)):
        shown[key] = value.strftime("%d/%m/%Y")
    if directive is not None:
        shown["directive"] = directive.symbol
    form = DashboardForm(shown, directives=directives)
    form.is_valid()
    return form


def _export(kind, user, *, unit, directive, as_of, start, end):
    """The XLSX file of one table (every line, where the page shows the first ones)."""
    scope_text = _("%(unit)s — %(directive)s — tính đến %(date)s") % {
        "unit": unit.name,
        "directive": directive.symbol if directive else _("tất cả văn bản gốc"),
        "date": date_format(as_of, "SHORT_DATE_FORMAT"),
    }
    if kind == "coverage":
        cov = queries.coverage(user, unit=unit, directive=directive, as_of=as_of)
        return xlsx.response(exports.coverage(cov, scope_text), "ban-hanh-ke-hoach.xlsx")
    if kind == "targets":
        found = _targets(user, unit=unit, directive=directive, as_of=as_of, limit=1000)
        return xlsx.response(exports.targets(found, scope_text), "chi-tieu.xlsx")
    if kind == "rollup":
        rows = queries.rollup(user, unit=unit, directive=directive, as_of=as_of)
        return xlsx.response(exports.rollup(rows, scope_text), "tinh-hinh-theo-don-vi.xlsx")
    if kind == "ranking":
        rows = queries.ranking(user, unit=unit, directive=directive, start=start, end=end)
        queries.attach_explanations(user, unit=unit, rows=rows, start=start, end=end)
        caption = _("%(scope)s — hạn từ %(start)s đến %(end)s") % {
            "scope": scope_text,
            "start": date_format(start, "SHORT_DATE_FORMAT"),
            "end": date_format(end, "SHORT_DATE_FORMAT"),
        }
        return xlsx.response(exports.ranking(rows, caption), "xep-hang.xlsx")
    rows = queries.overdue(user, unit=unit, directive=directive, as_of=as_of, limit=10_000)
    return xlsx.response(exports.overdue(rows, scope_text), "qua-han.xlsx")


def _figures(request, *, unit, directive, as_of, start, end, opage) -> dict:
    """Every figure of the page, each table's lines ready for its template."""
    user = request.user
    cov = queries.coverage(
        user, unit=unit, directive=directive, as_of=as_of, missing_limit=MISSING_SHOWN
    )
    rows, ranked = queries.rollup_and_ranking(
        user, unit=unit, directive=directive, as_of=as_of, start=start, end=end
    )
    totals = queries.totals(rows)
    fmt = int_formatter()
    _figures_as_text(rows, request, fmt)
    for rank, row in enumerate(ranked, 1):
        row.rank, row.gap_before = rank, 0
    if len(ranked) > 2 * RANKING_ENDS + 1:
        ranked = ranked[:RANKING_ENDS] + ranked[-RANKING_ENDS:]
        ranked[RANKING_ENDS].gap_before = ranked[RANKING_ENDS].rank - RANKING_ENDS - 1
    _figures_as_text(ranked, request, fmt)
    for row in ranked:
        row.rate_text = _rate(row)
    queries.attach_explanations(user, unit=unit, rows=ranked, start=start, end=end)
    href = drill_href(request)
    for line in cov.lines:
        line.href = href(line.unit.pk) if line.unit is not None and not line.own else None
        line.figures = [fmt(line.total), fmt(line.met), fmt(line.late)]
    overdue_rows = queries.overdue(
        user,
        unit=unit,
        directive=directive,
        as_of=as_of,
        limit=OVERDUE_PAGE + 1,
        offset=(opage - 1) * OVERDUE_PAGE,
    )
    trend = queries.trend(user, unit=unit, directive=directive, points=trend_points(as_of))
    return {
        "breadcrumbs": list(
            visible_units(user).filter(path__in=ancestor_paths(unit.path)).order_by("path")
        ),
        "coverage": cov,
        "rows": rows,
        "totals": [totals[s] for s in Status.ORDER],
        "grand_total": sum(totals.values()),
        "totals_text": [fmt(totals[s]) for s in Status.ORDER],
        "grand_total_text": fmt(sum(totals.values())),
        "at_risk_text": fmt(
            queries.at_risk_count(user, unit=unit, directive=directive, as_of=as_of)
        ),
        "statuses": [(s, Status.LABELS[s], Status.CSS[s]) for s in Status.ORDER],
        "ranking": ranked,
        "overdue": overdue_rows[:OVERDUE_PAGE],
        "opage": opage,
        "has_more": len(overdue_rows) > OVERDUE_PAGE,
        "trend_rows": [(day, [c[s] for s in Status.ORDER]) for day, c in trend],
        "trend_chart": charts.trend(trend),
        "panels": panels(user, unit, as_of),
        "targets": _targets(user, unit=unit, directive=directive, as_of=as_of, href=href),
    }


@login_required
@require_GET
@replica_reads
def dashboard(request):
    user = request.user
    directives = list(directives_for(user))
    form = DashboardForm(request.GET or None, directives=directives)
    data = form.cleaned_data if form.is_valid() else {}
    # A query the form refuses is a 400 showing why (the figures keep their defaults).
    code = 400 if form.is_bound and not form.is_valid() else 200
    if data.get("unit"):
        unit = get_visible_unit(user, data["unit"])
        if unit is None:
            raise Http404
    else:
        unit = default_unit(user)
    if unit is None:
        return render(request, "tracking/dashboard.html", {"form": form, "unit": None}, status=code)
    directive, directive_error = _directive(user, data)
    as_of, start, end = _period(data)
    form = _form_as_used(request, form, directives, directive, as_of, start, end)
    if directive_error:
        # Say so, and show no figures: those of every directive would pass for the chosen one.
        form.add_error("directive", directive_error)
        return render(
            request,
            "tracking/dashboard.html",
            {"form": form, "unit": unit, "as_of": as_of, "directive_error": directive_error},
        )
    export = request.GET.get("export") if code == 200 else None
    if export and export not in EXPORTS:
        raise Http404
    scope = {"unit": unit, "directive": directive, "as_of": as_of, "start": start, "end": end}
    if export:
        return _export(export, user, **scope)
    opage = data.get("opage") or 1

    def rendered():
        figures = _figures(request, **scope, opage=opage)
        html = render_to_string(
            "tracking/_dashboard_figures.html", {**scope, **figures}, request=request
        )
        return {"breadcrumbs": figures["breadcrumbs"], "figures_html": mark_safe(html)}  # noqa: S308 - our template's output

    # The figures as HTML, kept until a write touches the user's area (core/versions.py): on
    # a province's page most of the time goes to laying out its hundreds of lines.
    key = (unit.pk, directive.pk if directive else None, as_of, start, end, opage)
    shown = cached_for(
        user, "dashboard", (*key, sorted(request.GET.lists())), rendered, shared=True
    )
    return render(request, "tracking/dashboard.html", {"form": form, **scope, **shown}, status=code)
