"""The roll-up dashboard: coverage, counts by child, ranking, overdue list and trend for a unit.

Every figure comes from `tracking.queries` (scoped on the copied unit path); a unit or directive
outside the user's reach is a 404. `?export=…` returns the same table as an XLSX file.
"""

import calendar
import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from trienkhai.accounts.scope import document_access
from trienkhai.core import xlsx
from trienkhai.core.dates import today
from trienkhai.core.numbers import int_formatter
from trienkhai.documents.models import Document
from trienkhai.documents.numbering import InvalidDocumentNumber, parse_symbol
from trienkhai.tracking import charts, exports, queries
from trienkhai.tracking.forms import EXPORTS, DashboardForm
from trienkhai.tracking.panels import panels
from trienkhai.tracking.status import Status
from trienkhai.tree.paths import ancestor_paths
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


def number_cells(numbers, fmt) -> str:
    """`<td class="num">…</td>` for each number: one safe string per row instead of a template
    variable per cell (a province's page has thousands of cells)."""
    return format_html_join("", '<td class="num">{}</td>', ((fmt(n),) for n in numbers))


def _texts(lines, request, fmt) -> None:
    """Attach `href` (drill-down) and the rendered number cells to roll-up and ranking lines."""
    href = drill_href(request)
    for row in lines:
        row.href = href(row.unit.pk) if row.unit is not None and not row.own else None
        row.cells_html = number_cells([row.counts[s] for s in Status.ORDER], fmt)
        row.total_html = number_cells([row.total], fmt)


def _rate(row) -> str | None:
    rate = row.on_time_rate
    return None if rate is None else queries.percent_text(round(rate * 1000), 1000)


@login_required
@require_GET
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
    directive = directive_error = None
    if data.get("directive"):
        directive = find_directive(user, data["directive"])
        if directive is None:
            directive_error = _(
                "Không tìm thấy văn bản gốc “%(text)s” trong các văn bản bạn được xem. Hãy nhập "
                "đúng số, ký hiệu hoặc chọn trong danh sách gợi ý."
            ) % {"text": data["directive"]}
    as_of = data.get("as_of") or today()
    end = data.get("end") or as_of
    start = data.get("start") or datetime.date(end.year, 1, 1)
    if start > end:
        start = datetime.date(end.year, 1, 1)
    opage = data.get("opage") or 1
    if not form.is_bound:
        form = DashboardForm(
            initial={"as_of": as_of, "start": start, "end": end}, directives=directives
        )
    elif form.is_valid():
        # Show the dates actually used, also those left empty (defaults).
        shown = request.GET.copy()
        for key, value in (("as_of", as_of), ("start", start), ("end", end)):
            shown[key] = value.strftime("%d/%m/%Y")
        if directive is not None:
            shown["directive"] = directive.symbol
        form = DashboardForm(shown, directives=directives)
        form.is_valid()
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
    scope_text = _("%(unit)s — %(directive)s — tính đến %(date)s") % {
        "unit": unit.name,
        "directive": directive.symbol if directive else _("tất cả văn bản gốc"),
        "date": date_format(as_of, "SHORT_DATE_FORMAT"),
    }

    if export == "coverage":
        cov = queries.coverage(user, unit=unit, directive=directive, as_of=as_of)
        return xlsx.response(exports.coverage(cov, scope_text), "ban-hanh-ke-hoach.xlsx")
    if export == "rollup":
        rows = queries.rollup(user, unit=unit, directive=directive, as_of=as_of)
        return xlsx.response(exports.rollup(rows, scope_text), "tinh-hinh-theo-don-vi.xlsx")
    if export == "ranking":
        rows = queries.ranking(user, unit=unit, directive=directive, start=start, end=end)
        caption = _("%(scope)s — hạn từ %(start)s đến %(end)s") % {
            "scope": scope_text,
            "start": date_format(start, "SHORT_DATE_FORMAT"),
            "end": date_format(end, "SHORT_DATE_FORMAT"),
        }
        return xlsx.response(exports.ranking(rows, caption), "xep-hang.xlsx")
    if export == "overdue":
        rows = queries.overdue(user, unit=unit, directive=directive, as_of=as_of, limit=10_000)
        return xlsx.response(exports.overdue(rows, scope_text), "qua-han.xlsx")

    cov = queries.coverage(
        user, unit=unit, directive=directive, as_of=as_of, missing_limit=MISSING_SHOWN
    )
    rows, ranked = queries.rollup_and_ranking(
        user, unit=unit, directive=directive, as_of=as_of, start=start, end=end
    )
    totals = queries.totals(rows)
    fmt = int_formatter()
    _texts(rows, request, fmt)
    for rank, row in enumerate(ranked, 1):
        row.rank, row.gap_before = rank, 0
    if len(ranked) > 2 * RANKING_ENDS + 1:
        ranked = ranked[:RANKING_ENDS] + ranked[-RANKING_ENDS:]
        ranked[RANKING_ENDS].gap_before = ranked[RANKING_ENDS].rank - RANKING_ENDS - 1
    _texts(ranked, request, fmt)
    for row in ranked:
        row.rate_text = _rate(row)
    href = drill_href(request)
    for line in cov.lines:
        line.href = href(line.unit.pk) if line.unit is not None and not line.own else None
        line.cells_html = number_cells([line.total, line.met, line.late], fmt)
    overdue_rows = queries.overdue(
        user,
        unit=unit,
        directive=directive,
        as_of=as_of,
        limit=OVERDUE_PAGE + 1,
        offset=(opage - 1) * OVERDUE_PAGE,
    )
    has_more = len(overdue_rows) > OVERDUE_PAGE
    trend = queries.trend(user, unit=unit, directive=directive, points=trend_points(as_of))
    breadcrumbs = list(
        visible_units(user).filter(path__in=ancestor_paths(unit.path)).order_by("path")
    )
    statuses = [(s, Status.LABELS[s], Status.CSS[s]) for s in Status.ORDER]
    return render(
        request,
        "tracking/dashboard.html",
        {
            "form": form,
            "unit": unit,
            "directive": directive,
            "as_of": as_of,
            "start": start,
            "end": end,
            "breadcrumbs": breadcrumbs,
            "coverage": cov,
            "rows": rows,
            "totals": [totals[s] for s in Status.ORDER],
            "grand_total": sum(totals.values()),
            "totals_text": [fmt(totals[s]) for s in Status.ORDER],
            "grand_total_text": fmt(sum(totals.values())),
            "statuses": statuses,
            "ranking": ranked,
            "overdue": overdue_rows[:OVERDUE_PAGE],
            "opage": opage,
            "has_more": has_more,
            "trend_rows": [(day, [c[s] for s in Status.ORDER]) for day, c in trend],
            "bars_svg": charts.stacked_bars(rows, title=_("Tình hình thực hiện theo đơn vị")),
            "trend_svg": charts.trend_lines(trend, title=_("Diễn biến theo thời gian")),
            "panels": panels(user, unit, as_of),
        },
        status=code,
    )
