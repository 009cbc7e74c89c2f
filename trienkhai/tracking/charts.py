"""Server-rendered inline SVG charts for the dashboard.

SVG is markup, not script, so the Content Security Policy allows it; colours come from CSS
classes (`Status.CSS`) in tracking.css and every chart repeats its figures in words (<title>
tooltips and a legend), so no status depends on colour alone.
"""

from django.utils.formats import date_format, number_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from trienkhai.core.numbers import int_formatter
from trienkhai.tracking.status import Status

LABEL_WIDTH = 220
BAR_WIDTH = 460
ROW_HEIGHT = 22
GAP = 6


def _legend(statuses=Status.ORDER) -> str:
    return format_html(
        '<ul class="chart-legend">{}</ul>',
        format_html_join(
            "",
            '<li><span class="swatch {}"></span>{}</li>',
            ((Status.CSS[s], Status.LABELS[s]) for s in statuses),
        ),
    )


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def stacked_bars(rows, *, title: str) -> str:
    """One horizontal bar per roll-up row, split by status, scaled to the largest total.

    `rows`: objects with `name`, `counts` (status → n) and `total`.
    """
    rows = [r for r in rows if r.total]
    if not rows:
        return ""
    biggest = max(r.total for r in rows)
    height = len(rows) * (ROW_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + 60
    fmt = int_formatter()
    # One bar per child (hundreds for a large province): plain f-strings over values escaped
    # once each, rather than a format_html call per rectangle.
    labels = {status: escape(label) for status, label in Status.LABELS.items()}
    parts = []
    for i, row in enumerate(rows):
        y = GAP + i * (ROW_HEIGHT + GAP)
        name = escape(row.name)
        parts.append(
            f'<text class="label" x="{LABEL_WIDTH - 8}" y="{y + ROW_HEIGHT - 6}" '
            f'text-anchor="end">{escape(_short(row.name))}<title>{name}</title></text>'
        )
        x = float(LABEL_WIDTH)
        for status in Status.ORDER:
            n = row.counts.get(status, 0)
            if not n:
                continue
            w = BAR_WIDTH * n / biggest
            parts.append(
                f'<rect class="{Status.CSS[status]}" x="{x:.1f}" y="{y}" '
                f'width="{max(w, 0.5):.1f}" height="{ROW_HEIGHT}">'
                f"<title>{name}: {labels[status]} — {fmt(n)}</title></rect>"
            )
            x += w
        parts.append(
            f'<text class="value" x="{x + 4:.1f}" y="{y + ROW_HEIGHT - 6}">{fmt(row.total)}</text>'
        )
    svg = format_html(
        '<svg class="chart bars" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-label="{}">{}</svg>',
        width,
        height,
        title,
        mark_safe("".join(parts)),  # noqa: S308 - every text in the parts is escaped above
    )
    return mark_safe(f'<figure class="chart">{svg}{_legend()}</figure>')  # noqa: S308


def trend_lines(points, *, title: str) -> str:
    """Status counts at several dates: one line per status, dates along the bottom.

    `points`: list of (date, {status: n}) from `queries.trend`.
    """
    if not points:
        return ""
    width, height = 700, 260
    left, right, top, bottom = 60, 45, 15, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    biggest = max((max(counts.values()) for _day, counts in points), default=0) or 1
    step = plot_w / max(len(points) - 1, 1)

    def xy(i, n):
        return left + i * step, top + plot_h - plot_h * n / biggest

    parts = [
        format_html(
            '<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}"></line>',
            left,
            top + plot_h,
            left + plot_w,
            top + plot_h,
        ),
        format_html(
            '<text class="label" x="{}" y="{}" text-anchor="end">{}</text>',
            left - 6,
            top + 10,
            number_format(biggest),
        ),
        format_html(
            '<text class="label" x="{}" y="{}" text-anchor="end">0</text>', left - 6, top + plot_h
        ),
    ]
    for i, (day, _counts) in enumerate(points):
        x, _y = xy(i, 0)
        parts.append(
            format_html(
                '<text class="label" x="{}" y="{}" text-anchor="middle">{}</text>',
                f"{x:.1f}",
                height - 15,
                date_format(day, "SHORT_DATE_FORMAT"),
            )
        )
    for status in Status.ORDER:
        coords = [xy(i, counts.get(status, 0)) for i, (_day, counts) in enumerate(points)]
        parts.append(
            format_html(
                '<polyline class="line {}" points="{}"><title>{}</title></polyline>',
                Status.CSS[status],
                " ".join(f"{x:.1f},{y:.1f}" for x, y in coords),
                Status.LABELS[status],
            )
        )
        for (x, y), (day, counts) in zip(coords, points, strict=True):
            parts.append(
                format_html(
                    '<circle class="dot {}" cx="{}" cy="{}" r="3.5"><title>{} {}: {}</title>'
                    "</circle>",
                    Status.CSS[status],
                    f"{x:.1f}",
                    f"{y:.1f}",
                    date_format(day, "SHORT_DATE_FORMAT"),
                    Status.LABELS[status],
                    number_format(counts.get(status, 0)),
                )
            )
    svg = format_html(
        '<svg class="chart trend" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-label="{}">{}</svg>',
        width,
        height,
        title or _("Diễn biến"),
        mark_safe("".join(parts)),  # noqa: S308 - every text in the parts is escaped above
    )
    return mark_safe(f'<figure class="chart">{svg}{_legend()}</figure>')  # noqa: S308
