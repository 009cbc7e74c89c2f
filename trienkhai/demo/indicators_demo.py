"""The demo's live indicator set: digital-transformation indicators of the kind Nghị quyết
57-NQ/TW sets, given by the centre on the current cycle's directive, with Lâm Đồng's targets
split among its communes and monthly values that put some communes in red, some in orange and
most in green — all through `indicators.actions`, the Lâm Đồng coordinator acting where a person
would (the commune reporters without a login are the system; Tuy Phong's login reports its own).

The year is the one of the day two months ago, so a demo built in January or February shows a
whole year rather than one without any ended month.
"""

import datetime
import random
from decimal import Decimal

from trienkhai.core.actions import ActionError
from trienkhai.core.dates import today as current_day
from trienkhai.demo.current import TUY_PHONG, commune_units
from trienkhai.indicators import actions, periods, queries, risk
from trienkhai.indicators.actions import explanations
from trienkhai.indicators.models import Indicator, Source
from trienkhai.units.models import Unit

INDICATORS = [
    # code, name, measure, aggregation, period, source, province target
    (
        "CDS-01",
        "Tỷ lệ văn bản, hồ sơ công việc được xử lý trên môi trường điện tử",
        "%",
        "rate",
        "month",
        Source.REPORTED,
        90,
    ),
    (
        "CDS-02",
        "Số đảng viên được kích hoạt và sử dụng Sổ tay đảng viên điện tử",
        "đảng viên",
        "sum",
        "month",
        Source.REPORTED,
        None,  # set per commune by weight (its members), below
    ),
    (
        "CDS-03",
        "Tỷ lệ trụ sở đảng ủy cấp xã kết nối mạng truyền số liệu chuyên dùng",
        "%",
        "rate",
        "quarter",
        Source.REPORTED,
        100,
    ),
    (
        "CDS-04",
        "Tỷ lệ đơn vị đã ban hành kế hoạch thực hiện chỉ thị",
        "%",
        "rate",
        "month",
        Source.PLAN_COVERAGE,
        100,
    ),
    (
        "CDS-05",
        "Tỷ lệ nhiệm vụ thực hiện chỉ thị hoàn thành đúng hạn",
        "%",
        "rate",
        "quarter",
        Source.ON_TIME,
        90,
    ),
]
DEFINITIONS = {
    "CDS-01": "Số văn bản đến, đi được xử lý hoàn toàn trên hệ thống điều hành điện tử chia "
    "cho tổng số văn bản trong tháng, nhân 100.",
    "CDS-02": "Số đảng viên kích hoạt tài khoản Sổ tay đảng viên điện tử trong kỳ.",
    "CDS-03": "Trụ sở đảng ủy xã, phường đã kết nối mạng truyền số liệu chuyên dùng, trên tổng "
    "số trụ sở, nhân 100 (lũy kế đến cuối quý).",
    "CDS-04": "Hệ thống tính: 100 khi đơn vị đã ban hành kế hoạch thực hiện chỉ thị (đã được "
    "cấp trên ghi nhận), 0 khi chưa; tổng hợp là tỷ lệ đơn vị đã ban hành.",
    "CDS-05": "Hệ thống tính: số nhiệm vụ đến hạn trong quý được cấp trên chấp nhận hoàn thành "
    "đúng hạn, chia cho số nhiệm vụ đến hạn trong quý, nhân 100; đơn vị không có nhiệm vụ đến "
    "hạn thì không tính.",
}
# How each commune fares: most on track, some just short, some far behind, a few silent.
HABITS = [1.08, 1.12, 1.02, 1.15, 0.95, 1.05, 0.7, 1.1, 0.96, 0.6, 1.2, None]


def _year(today: datetime.date) -> int:
    return (today - datetime.timedelta(days=60)).year


def load_indicators(users: dict, today: datetime.date, directive, stdout=None):
    """Build the live set; returns it (None when the demo has no such directive)."""
    if directive is None:
        return None
    rng = random.Random(57)  # noqa: S311 - demo data, not security; same every day
    year = _year(today)
    root = Unit.objects.get(code="TW")
    province = Unit.objects.get(code="LDG")
    coordinator = users.get("lamdong")
    indicator_set = actions.create_set(
        None,
        document=directive,
        unit=root,
        name=f"Chỉ tiêu chuyển đổi số năm {year}",
        year=year,
    )
    made: list[Indicator] = []
    for code, name, measure, aggregation, period, source, target in INDICATORS:
        ind = actions.add_indicator(
            None,
            indicator_set,
            code=code,
            name=name,
            definition=DEFINITIONS[code],
            measure=measure,
            direction="more",
            aggregation=aggregation,
            period=period,
            source=source,
        )
        ind.indicator_set = indicator_set
        made.append(ind)
        communes = list(actions.cascade_children(province))
        if target is not None:
            actions.set_target(None, ind, province, target)
            actions.cascade(coordinator, ind, province, method="even")
        else:
            weights = {c.pk: 80 + rng.randrange(0, 400) for c in communes}
            actions.set_target(None, ind, province, sum(weights.values()))
            actions.cascade(coordinator, ind, province, method="weight", figures=weights)
    communes = list(commune_units(province))
    tuy_phong = users.get("tuyphong")
    for index, commune in enumerate(communes):
        habit = 0.65 if commune.code == TUY_PHONG else HABITS[index % len(HABITS)]
        if habit is None:
            continue
        actor = tuy_phong if commune.code == TUY_PHONG else None
        for ind in made:
            if ind.source != Source.REPORTED:
                continue
            _values(ind, commune, habit, year, today, rng, actor)
    for ind in made:
        if ind.source != Source.REPORTED:
            actions.compute(None, ind, today=today)
    _explanations(coordinator, made[0], province)
    if stdout is not None:
        stdout.write(f"Bộ chỉ tiêu chuyển đổi số năm {year}: {len(made)} chỉ tiêu.\n")
    return indicator_set


def _explanations(coordinator, ind, province):
    """Lâm Đồng asks two communes red on the first indicator to explain: Tuy Phong (its
    login answers it in the demo) and another, whose answer is already in."""
    day = current_day()
    red = [
        line.unit
        for line in queries.child_lines(coordinator, ind, province, day)
        if line.colour == risk.RED
    ]
    red.sort(key=lambda u: (u.code != TUY_PHONG, u.name))
    for index, commune in enumerate(red[:2]):
        try:
            asked = explanations.request_explanation(
                coordinator,
                ind,
                commune,
                question=(
                    f"Tỷ lệ {ind.code} của {commune.name} dự báo không đạt chỉ tiêu năm. "
                    "Đề nghị giải trình nguyên nhân và nêu giải pháp khắc phục."
                ),
            )
        except ActionError:
            continue  # the colours moved since the values were written: nothing to ask
        if index == 1 or commune.code != TUY_PHONG:
            explanations.answer_explanation(
                None,
                asked,
                answer=(
                    "Hệ thống điều hành điện tử của xã mới được triển khai từ tháng 7; đường "
                    "truyền chập chờn. Xã đã đề nghị Trung tâm chuyển đổi số tỉnh hỗ trợ và "
                    "phấn đấu đạt chỉ tiêu vào quý cuối năm."
                ),
            )


def _values(ind, commune, habit, year, today, rng, actor):
    target = ind.targets.get(unit=commune).value
    elapsed = periods.elapsed(ind.period, year, today)
    n = ind.periods
    for p in range(1, elapsed + 1):
        if ind.aggregation == "sum":
            share = float(target) / n * habit * rng.uniform(0.85, 1.15)
            value = Decimal(round(share))
        else:
            # a level climbing towards habit × target at the year's end, from 60 % of it
            end = min(100.0, float(target) * habit)
            start = end * 0.6
            value = Decimal(round(start + (end - start) * p / n + rng.uniform(-2, 2), 1))
            value = max(Decimal(0), min(Decimal(100), value))
        actions.report_value(actor, ind, commune, p, value, today=today)
