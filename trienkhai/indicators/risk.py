"""The risk colour of an indicator at a unit: will it reach its target by the year's end?

The rule (shown to the user on every indicator page, `RULE`):

1. Only periods that have ended by the day of reading count ("elapsed"); a value reported for a
   period still running is shown but not yet projected.
2. The year-end value is projected linearly from the values so far:
   - a sum (counts): what was reached so far, divided by the elapsed periods, times the periods
     of the year (a period without a report counts as nothing reached);
   - a rate or an average: the straight line fitted (least squares) through the reported
     periods, read at the year's last period (with one reported period, that value), kept
     within what the figure can be (a rate within 0–100 %, nothing below 0).
3. Against the year's target: green when the projection reaches it; orange when it falls short
   by at most MARGIN (10 %) of the target; red otherwise. For "less is better" the comparison is
   reversed (green at or below the target, orange up to 10 % above, red beyond).
4. No target: "no target" (grey). A target but no reported period elapsed: "no data" (grey).

Every colour comes with its word, so it is never told by colour alone.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from trienkhai.indicators.models import Aggregation, Direction

MARGIN = Decimal("0.10")

GREEN, ORANGE, RED, NO_DATA, NO_TARGET = "green", "orange", "red", "no_data", "no_target"
LABELS = {
    GREEN: _("Đạt"),
    ORANGE: _("Có nguy cơ"),
    RED: _("Nguy cơ cao không đạt"),
    NO_DATA: _("Chưa có số liệu"),
    NO_TARGET: _("Chưa giao chỉ tiêu"),
}
CSS = {GREEN: "ok", ORANGE: "warn", RED: "bad", NO_DATA: "none", NO_TARGET: "none"}
ORDER = {RED: 0, ORANGE: 1, NO_DATA: 2, GREEN: 3, NO_TARGET: 4}

RULE = _(
    "Màu dự báo khả năng đạt chỉ tiêu năm. Chỉ tính các kỳ đã kết thúc. Chỉ tiêu cộng dồn: lấy "
    "số đạt được đến nay chia cho số kỳ đã qua, nhân với số kỳ của năm (kỳ chưa báo cáo tính "
    "là 0). Chỉ tiêu tỷ lệ hoặc bình quân: kéo dài đường thẳng đi qua các kỳ đã báo cáo đến kỳ "
    "cuối năm (tỷ lệ không quá 100%, không dưới 0). Xanh (Đạt): dự báo đạt chỉ tiêu; cam "
    "(Có nguy cơ): thiếu không quá 10% chỉ tiêu; đỏ (Nguy cơ cao không đạt): thiếu hơn 10%. "
    "Chỉ tiêu càng thấp càng tốt thì so ngược lại. Chưa có kỳ nào đã qua được báo cáo: "
    "Chưa có số liệu."
)


@dataclass
class Risk:
    colour: str
    target: Decimal | None
    so_far: Decimal | None  # year to date: the sum, or the latest reported level
    projected: Decimal | None

    @property
    def label(self):
        return LABELS[self.colour]

    @property
    def css(self) -> str:
        return CSS[self.colour]

    @property
    def share(self) -> Decimal | None:
        """The projection as a share of the target (None without either)."""
        if self.projected is None or not self.target:
            return None
        return self.projected / self.target


def project(
    aggregation: str, series: dict[int, Decimal], elapsed: int, periods: int
) -> Decimal | None:
    """The projected year-end value from `series` {period: value} (only periods ≤ `elapsed`
    count), or None when no elapsed period has a value."""
    points = sorted((p, v) for p, v in series.items() if 1 <= p <= elapsed and v is not None)
    if not points or elapsed < 1:
        return None
    if aggregation == Aggregation.SUM:
        return sum((v for _p, v in points), Decimal(0)) / elapsed * periods
    if len(points) == 1:
        return points[0][1]
    n = Decimal(len(points))
    mean_x = sum(Decimal(p) for p, _v in points) / n
    mean_y = sum(v for _p, v in points) / n
    sxx = sum((Decimal(p) - mean_x) ** 2 for p, _v in points)
    sxy = sum((Decimal(p) - mean_x) * (v - mean_y) for p, v in points)
    slope = sxy / sxx if sxx else Decimal(0)
    return _bounded(aggregation, mean_y + slope * (Decimal(periods) - mean_x))


def _bounded(aggregation: str, value: Decimal) -> Decimal:
    """A line drawn past the last period can leave the possible range: a rate stays within
    0–100 %, any figure at or above 0."""
    value = max(Decimal(0), value)
    return min(Decimal(100), value) if aggregation == Aggregation.RATE else value


def so_far(aggregation: str, series: dict[int, Decimal], elapsed: int) -> Decimal | None:
    points = sorted((p, v) for p, v in series.items() if 1 <= p <= elapsed and v is not None)
    if not points:
        return None
    if aggregation == Aggregation.SUM:
        return sum((v for _p, v in points), Decimal(0))
    return points[-1][1]


def colour_of(direction: str, projected: Decimal | None, target: Decimal | None) -> str:
    if target is None:
        return NO_TARGET
    if projected is None:
        return NO_DATA
    if direction == Direction.LESS:
        if projected <= target:
            return GREEN
        return ORANGE if projected <= target + abs(target) * MARGIN else RED
    if projected >= target:
        return GREEN
    return ORANGE if projected >= target - abs(target) * MARGIN else RED


def assess(indicator, series: dict[int, Decimal], elapsed: int, target: Decimal | None) -> Risk:
    projected = project(indicator.aggregation, series, elapsed, indicator.periods)
    return Risk(
        colour_of(indicator.direction, projected, target),
        target,
        so_far(indicator.aggregation, series, elapsed),
        projected,
    )
