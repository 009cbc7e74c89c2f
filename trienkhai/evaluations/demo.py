"""The 2025 classification in the demo, loaded through the actions after the tracking demo.

The story (the seeds' complaint that ratings "chase achievements"):
- The centre sets the 2025 period with the default rules (cap 20%).
- Tỉnh ủy Quảng Ninh classifies its organisations: the provincial police party committee and the
  five commune-level committees formed on 1/7/2025. The police committee is decided "Hoàn thành
  xuất sắc" in January 2026, which already uses the whole cap (1 of 5 rated good-or-better).
- The commune with the most overdue tasks in the tracking demo at the end of 2025 rates itself
  excellent, claiming 100% of its tasks on time, and the organisation commission proposes it as
  such. The screen flags it (evidence: the tracking dashboard), and deciding it excellent is
  blocked by the cap until a reason is recorded; that decision is left for the demo user.
- Đảng ủy phường Hồng Gai classifies its grassroots organisations (decided and notified), so the
  distribution has a second level.
"""

import datetime

from django.db import transaction

from trienkhai.core.context import acting_as
from trienkhai.evaluations.actions import periods as period_actions
from trienkhai.evaluations.actions import ratings as rating_actions
from trienkhai.evaluations.models import Evaluation, EvaluationPeriod, Level
from trienkhai.evaluations.providers import overdue_tasks
from trienkhai.tree.kinds import COMMUNE_LEVEL
from trienkhai.units.models import Unit

D = datetime.date
YEAR = 2025
PROVINCE = "QNI"
WARD = "QNI.PHUONG-HONG-GAI"


def _day(date: D) -> D:
    """Demo dates never lie in the future of the machine that loads them."""
    return min(date, datetime.date.today())


def _members(total: int, excellent: int, complete: int = 0, not_complete: int = 0) -> dict:
    not_rated = max(1, total // 40)
    good = total - excellent - complete - not_complete - not_rated
    return {
        "excellent": excellent,
        "good": good,
        "complete": complete,
        "not_complete": not_complete,
        "not_rated": not_rated,
    }


STAGES = ("self", "review", "decide", "notify")


def _step(ev: Evaluation, spec: dict, stage: str) -> Evaluation:
    ev.refresh_from_db()
    if stage == "self":
        general, results, level = spec["self"]
        return rating_actions.self_rate(
            None,
            ev,
            general=general,
            results=results,
            level=level,
            on_time_percent=spec.get("on_time", 100),
            exceeded_percent=spec.get("exceeded", 20),
            narrative=spec.get("narrative", "Báo cáo kiểm điểm tập thể năm 2025."),
            members=spec["members"],
            rated_on=_day(D(2025, 12, 15)),
        )
    general, results, level = spec.get("review", spec["self"])
    if stage == "review":
        return rating_actions.review(
            None,
            ev,
            general=general,
            results=results,
            level=level,
            narrative=spec.get("review_note", ""),
            reviewed_on=_day(D(2026, 1, 8)),
        )
    if stage == "decide":
        return rating_actions.decide(None, ev, level=level, decided_on=_day(D(2026, 1, 20)))
    return rating_actions.notify(None, ev, notified_on=_day(D(2026, 1, 26)))


def _run_all(plan: list[tuple[Evaluation, dict, str]]) -> None:
    """Each stage for every organisation before the next stage: the standing committee decides
    once all proposals are in, as it does in one meeting (and as the cap's base needs)."""
    for stage in STAGES:
        for ev, spec, until in plan:
            if STAGES.index(stage) <= STAGES.index(until):
                _step(ev, spec, stage)


def _by_unit(period, decider) -> dict[str, Evaluation]:
    rows = Evaluation.objects.filter(period=period, decider=decider).select_related("unit")
    return {ev.unit.code: ev for ev in rows}


def _province(period, province: Unit, stdout) -> None:
    rating_actions.open_evaluations(None, period, province)
    evs = _by_unit(period, province)
    communes = sorted(
        (ev for ev in evs.values() if ev.unit.kind in COMMUNE_LEVEL), key=lambda ev: ev.unit.code
    )
    as_of = min(period.ends_on, datetime.date.today())
    found = overdue_tasks([ev.unit_id for ev in communes], YEAR, as_of)
    counts = {uid: sum(f.count for f in flags) for uid, flags in found.items()}
    inflated = max(communes, key=lambda ev: (counts.get(ev.unit_id, 0), ev.unit.code))
    others = [ev for ev in communes if ev is not inflated]

    # The police committee: the one real excellent rating, decided first; it fills the cap.
    plan = []
    police = evs.get(f"{PROVINCE}.CA")
    if police is not None:
        plan.append(
            (
                police,
                {
                    "self": (29, 65, Level.EXCELLENT),
                    "review": (28.5, 64, Level.EXCELLENT),
                    "on_time": 100,
                    "exceeded": 36,
                    "members": _members(640, 120),
                    "narrative": "Hoàn thành 100% nhiệm vụ đúng hạn, 36% chỉ tiêu vượt mức.",
                },
                "notify",
            )
        )
    # The inflated rating: claims every task on time while tracking shows overdue ones.
    plan.append(
        (
            inflated,
            {
                "self": (28, 64, Level.EXCELLENT),
                "review": (27.5, 63.5, Level.EXCELLENT),
                "on_time": 100,
                "exceeded": 32,
                "members": _members(310, 70),
                "narrative": "Tập thể tự đánh giá hoàn thành xuất sắc toàn bộ nhiệm vụ năm 2025.",
                "review_note": "Ban Tổ chức đề xuất giữ mức tự xếp loại.",
            },
            "review",
        )
    )
    plans = [
        ({"self": (26, 60, Level.GOOD), "review": (25.5, 59, Level.GOOD)}, "notify", 280),
        ({"self": (25, 58, Level.GOOD), "review": (25, 56, Level.GOOD)}, "decide", 245),
        ({"self": (24, 54, Level.GOOD), "review": (23, 50, Level.GOOD)}, "decide", 198),
        (
            {
                "self": (23, 49, Level.GOOD),
                "review": (20, 45, Level.COMPLETE),
                "on_time": 80,
                "review_note": "Còn nhiệm vụ quá hạn chưa hoàn thành; đề xuất hạ một mức.",
            },
            "decide",
            176,
        ),
    ]
    for ev, (spec, until, members) in zip(others, plans, strict=False):
        spec = {**spec, "on_time": spec.get("on_time", 90)}
        plan.append((ev, {**spec, "members": _members(members, members // 8)}, until))
    _run_all(plan)
    if stdout is not None:
        stdout.write(
            f"Xếp loại {YEAR}: {inflated.unit.name} tự đánh giá xuất sắc, "
            f"{counts.get(inflated.unit_id, 0)} nhiệm vụ quá hạn.\n"
        )


def _ward(period, ward: Unit) -> None:
    rating_actions.open_evaluations(None, period, ward)
    evs = sorted(_by_unit(period, ward).values(), key=lambda ev: ev.unit.code)
    plan = []
    for i, ev in enumerate(evs):
        top = i == 0
        spec = {
            "self": (29, 63, Level.EXCELLENT) if top else (25, 58 - 2 * i, Level.GOOD),
            "on_time": 100 if top else 95,
            "exceeded": 34 if top else 15,
            "members": _members(48 - 4 * i, 10 - i),
        }
        plan.append((ev, spec, "notify"))
    _run_all(plan)


def load_demo(stdout=None) -> EvaluationPeriod | None:
    """Load the classification once (nothing when a period exists or the demo tree is absent)."""
    if EvaluationPeriod.objects.exists():
        return None
    centre = Unit.objects.filter(code="TW").first()
    province = Unit.objects.filter(code=PROVINCE).first()
    if centre is None or province is None:
        return None
    with acting_as(None), transaction.atomic():
        period = period_actions.create_period(
            None,
            unit=centre,
            year=YEAR,
            name=f"Đánh giá, xếp loại chất lượng tổ chức đảng năm {YEAR}",
        )
        _province(period, province, stdout)
        ward = Unit.objects.filter(code=WARD, valid_to__isnull=True).first()
        if ward is not None:
            _ward(period, ward)
    return period
