"""Reports upward in the demo, built through `reports.actions`.

1. Seed 004, in the history (before the 2025 reorganisation): the Central Organisation
   Commission asks every provincial organisation commission for its report on one year of
   Kết luận 21 and Kế hoạch 03-KH/TW. Most send on time and are accepted; one sends late; one
   never sends; and Quảng Ninh's writes "100%" of its units as having issued their plans while
   its own data say otherwise (some of its communes never issued theirs). The commission's own
   report consolidates them: its figures, recomputed over the country, reproduce the seed's
   "100% ban tổ chức cấp ủy các cấp … ban hành Kế hoạch" from the coverage data.
2. The live cycle: Lâm Đồng asks its communes for the six-month report on the current
   directive; a few have sent (one returned, one accepted), Tuy Phong's draft is open, the rest
   have not started.
"""

import datetime

from trienkhai.core.actions import ActionError
from trienkhai.demo.current import TUY_PHONG, commune_units
from trienkhai.documents import actions as doc_actions
from trienkhai.documents.models import DocType
from trienkhai.reports import outline
from trienkhai.reports.actions import drafting, issue, review
from trienkhai.reports.actions import requests as request_actions
from trienkhai.reports.models import UnitReport
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import plans as plan_actions
from trienkhai.units.models import Unit

D = datetime.date
SEED004_TITLE = (
    "Báo cáo kết quả 1 năm thực hiện Kết luận số 21-KL/TW và Kế hoạch số 03-KH/TW về công tác "
    "tổ chức xây dựng Đảng"
)
SEED004_FIGURES = [
    "org_plan_units",
    "org_plan_units_met",
    "org_plan_coverage_rate",
    "plan_units",
    "plan_units_met",
    "plan_coverage_rate",
    "tasks_due",
    "tasks_on_time",
    "tasks_late",
    "tasks_overdue",
    "conferences_held",
    "conference_points",
    "conference_attendees",
]
WRITTEN_COVERAGE = {
    "code": "KH-TYLE",
    "label": "Tỷ lệ cấp ủy trực thuộc đã ban hành kế hoạch thực hiện",
    "measure": "%",
    "check_against": "plan_coverage_rate",
}
STUDIED = {"code": "DV-HT", "label": "Số đảng viên được học tập, quán triệt", "measure": "người"}
MISMATCH, LATE = "QNI", "HNI"  # the province whose figure disagrees; the one that sends late


def _sections():
    return [
        {"number": n, "title": str(t), "facts": f, "guidance": str(g)}
        for n, t, f, g in outline.DEFAULT_OUTLINE
    ]


def _quang_ninh_obligations(docs) -> None:
    """Quảng Ninh's programme asks its communes and wards for their own plans by 30/6/2022;
    three in four issue one: its coverage is not 100 %."""
    plan = docs["ctr21qn"].plan
    task = plan_actions.add_task(
        None, plan, number="5", lead_unit=plan.unit, deadline_text="30/6/2022",
        requires_plan=True,
        title="Các đảng ủy xã, phường, thị trấn xây dựng kế hoạch thực hiện Chương trình hành "
        "động số 12-CTr/TU",
    )  # fmt: skip
    for kind in ("commune", "ward"):
        if Unit.objects.filter(kind=kind, path__startswith=plan.unit.path).exists():
            assign_actions.assign(None, task, rule="kind", kind=kind)
    units = list(task.assignments.select_related("unit").order_by("unit__code"))
    for index, assignment in enumerate(units):
        if index % 4 == 3:
            continue  # never issued
        doc = doc_actions.register_document(
            None, symbol="01-KH/ĐU", doc_type=DocType.PLAN, issuing_unit=assignment.unit,
            term="2020-2025", date=D(2022, 3, 1 + index % 27),
            subject=f"Kế hoạch của {assignment.unit.name} thực hiện Chương trình hành động "
            "số 12-CTr/TU",
        )  # fmt: skip
        doc_actions.relate(None, doc, docs["ctr21qn"], "implements")


def load_seed004(docs: dict, stdout=None):
    """The historic request and its answers; returns the request."""
    _quang_ninh_obligations(docs)
    btctw = Unit.objects.get(code="BTCTW")
    request = request_actions.create_request(
        None,
        unit=btctw,
        title=SEED004_TITLE,
        kind="interim",
        directives=[docs["kl21"], docs["kh03"]],
        period_start=D(2021, 12, 1),
        period_end=D(2022, 11, 30),
        deadline=D(2022, 12, 10),
        rule="kinds",
        kinds=["org_commission"],
        sections=_sections(),
        figure_codes=SEED004_FIGURES,
        manual=[WRITTEN_COVERAGE, STUDIED],
        today=D(2022, 11, 15),
    )
    reports = list(
        UnitReport.objects.filter(request=request, own=False)
        .select_related("unit__parent")
        .order_by("unit__code")
    )
    missing = reports[-1]
    for index, report in enumerate(reports):
        if report.pk == missing.pk:
            continue
        province = report.unit.parent.code if report.unit.parent else ""
        report = drafting.prefill(None, report)
        values = {f.indicator.code: f for f in report.figures.select_related("indicator")}
        coverage = values["KH-TYLE"]
        written = 100 if province == MISMATCH else coverage.computed
        entered = {
            coverage.indicator_id: (str(written if written is not None else 100), ""),
            values["DV-HT"].indicator_id: (str(2_000 + 137 * (index + 1) ** 2), ""),
        }
        report = drafting.save_draft(
            None, report, figures_entered=entered, expected_version=report.version
        )
        day = D(2022, 12, 20) if province == LATE else D(2022, 12, 3 + index % 7)
        report = drafting.submit(None, report, expected_version=report.version, today=day)
        if province != MISMATCH:
            review.accept(None, report, expected_version=report.version)
    own = drafting.prefill(None, request.answers)
    proposal = issue.proposal(own, D(2022, 12, 26))
    issue.issue(
        None,
        own,
        symbol=proposal.symbol or "01-BC/BTCTW",
        term=proposal.term or "XIII",
        date=D(2022, 12, 26),
        place="Hà Nội",
        authority="K/T TRƯỞNG BAN",
        position="Phó Trưởng ban",
        signer="Nguyễn Văn Tổ",
        recipients="Bộ Chính trị, Ban Bí thư (để báo cáo)\nCác tỉnh ủy, thành ủy\nLưu Văn phòng",
        expected_version=own.version,
    )
    if stdout is not None:
        stdout.write(f"Yêu cầu báo cáo của Ban Tổ chức Trung ương: {len(reports)} đơn vị.\n")
    return request


def load_live_reports(users: dict, today: D, directive, stdout=None):
    """Lâm Đồng's six-month report request to its communes, in the live cycle."""
    if directive is None:
        return None
    province = Unit.objects.get(code="LDG")
    coordinator = users.get("lamdong")
    half_start = D(today.year, 1, 1) if today.month <= 6 else D(today.year, 7, 1)
    half_end = D(today.year, 6, 30) if today.month <= 6 else D(today.year, 12, 31)
    request = request_actions.create_request(
        coordinator,
        unit=province,
        title=f"Báo cáo sơ kết 6 tháng thực hiện {directive.symbol}",
        kind="six_months",
        directives=[directive],
        period_start=half_start,
        period_end=min(half_end, today),
        deadline=today + datetime.timedelta(days=10),
        rule="kinds",
        kinds=["commune", "ward", "special_zone"],
        sections=_sections(),
        figure_codes=["tasks_due", "tasks_on_time", "tasks_overdue", "tasks_on_time_rate",
                      "conferences_held", "conference_attendees"],
        manual=[STUDIED],
        today=today,
    )  # fmt: skip
    communes = {u.pk for u in commune_units(province)}
    reports = list(
        UnitReport.objects.filter(request=request, unit_id__in=communes)
        .select_related("unit")
        .order_by("unit__code")
    )
    tuy_phong = users.get("tuyphong")
    sent = 0
    for report in reports:
        if report.unit.code == TUY_PHONG:
            drafting.prefill(tuy_phong, report)  # the draft Tuy Phong's login continues
            continue
        if sent >= 3:
            continue
        try:
            report = drafting.prefill(None, report)
            studied = next(
                f for f in report.figures.select_related("indicator")
                if f.indicator.code == "DV-HT"
            )  # fmt: skip
            report = drafting.save_draft(
                None, report, figures_entered={studied.indicator_id: ("250", "")},
                expected_version=report.version,
            )  # fmt: skip
            report = drafting.submit(None, report, expected_version=report.version, today=today)
        except ActionError:
            continue
        if sent == 0:
            review.return_report(
                coordinator, report, reason="Bổ sung số hội nghị đã tổ chức ở các chi bộ.",
                expected_version=report.version,
            )  # fmt: skip
        elif sent == 1:
            review.accept(coordinator, report, expected_version=report.version)
        sent += 1
    if stdout is not None:
        stdout.write(f"Yêu cầu báo cáo 6 tháng của Tỉnh ủy Lâm Đồng: {len(reports)} xã.\n")
    return request
