"""Implementation tracking in the demo: the KL 21 cascade with tasks, plans and progress.

Built through the tracking actions before the 2025 reorganisation runs, so that the merges hand
unfinished work over to the successors exactly as they would in production.

- KH 03-KH/TW (Politburo): a study campaign by "quý I/2022", every province's own plan by
  "tháng 12/2021" (a plan obligation), a yearly self-inspection "hằng năm từ 2022".
- KH 52-KH/BTCTW: every provincial organisation commission issues its plan by 31/3/2022; all do,
  matching the seed's "100% ban tổ chức cấp ủy các cấp … ban hành Kế hoạch thực hiện".
- Quảng Ninh's action programme 12-CTr/TU (the tasks of seed 002): the Q1/2022 campaign, yearly
  self-criticism, the regulation review from 2022, continuous political education reported every
  six months, assigned to every commune and ward.

Progress is drawn from a fixed random seed: mostly on time, some late, some overdue, never dated
after today.
"""

import datetime
import random

from trienkhai.documents import actions as doc_actions
from trienkhai.documents.models import DocType, Document
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import plans as plan_actions
from trienkhai.tracking.actions import reports as report_actions
from trienkhai.tracking.models import Assignment, ProgressReport, ReportState
from trienkhai.units.models import Unit

D = datetime.date
SUBJECT_PLAN = "Kế hoạch của {unit} thực hiện Kết luận số 21-KL/TW và Kế hoạch số 03-KH/TW"


def _register(unit: Unit, number: int, issuer: str, date: D, subject: str, implements: Document):
    doc = doc_actions.register_document(
        None,
        symbol=f"{number:02d}-KH/{issuer}",
        doc_type=DocType.PLAN,
        issuing_unit=unit,
        term="2020-2025",
        date=date,
        subject=subject,
    )
    doc_actions.relate(None, doc, implements, "implements")
    return doc


REORGANISED = D(2025, 7, 1)


def _progress(rng: random.Random, assignment: Assignment, today: D, late_share=0.15, miss=0.12):
    """File reports for one assignment: done on time, done late, in progress, or nothing.

    Before the 2025 reorganisation runs, `today` is the eve of it, so no unit reports on a date
    after it closed; the later periods are filled once the successors exist.
    """
    due = assignment.due
    start = max(assignment.occurrence.period_start, D(2021, 12, 1))
    if start > today:
        return
    roll = rng.random()
    if roll < miss:
        return  # nothing reported: overdue once the due date passes
    if due >= today and roll < 0.55:
        report_actions.report_progress(
            None, assignment, reported_on=min(start + datetime.timedelta(days=20), today),
            percent=rng.choice([20, 40, 60]), done=False,
            narrative="Đang triển khai theo kế hoạch.",
        )  # fmt: skip
        return
    if roll < miss + late_share:
        done_on = due + datetime.timedelta(days=rng.randint(5, 60))
    else:
        done_on = due - datetime.timedelta(days=rng.randint(0, 25))
    done_on = max(done_on, start)
    if done_on > today:
        return
    report_actions.report_progress(
        None, assignment, reported_on=done_on, percent=100, done=True,
        narrative="Đã hoàn thành; báo cáo kết quả gửi cấp trên.",
    )  # fmt: skip


def _fill(rng, task, today, **shares):
    rows = Assignment.objects.filter(task=task).select_related("occurrence").order_by("due", "id")
    for assignment in rows:
        _progress(rng, assignment, today, **shares)


def load_progress_after_reorganisation(stdout=None) -> None:
    """Reports of the open units for the periods after 1/7/2025, filed by the successors."""
    rng = random.Random(2025)  # noqa: S311 - demo data, not security
    today = datetime.date.today()
    rows = (
        Assignment.objects.filter(
            unit__valid_to__isnull=True, due__gte=REORGANISED, reports__isnull=True
        )
        .select_related("occurrence")
        .order_by("due", "id")
    )
    for assignment in rows:
        _progress(rng, assignment, today, late_share=0.2, miss=0.15)


def accept_history(users: dict) -> int:
    """The assigning units accept the historic reports (Quảng Ninh's by its coordinator, the
    centre's by the administrator): the 2021–2025 work counts as done, as it did then."""
    count = 0
    rows = (
        ProgressReport.objects.filter(state=ReportState.SUBMITTED)
        .select_related("assignment__assigned_by")
        .order_by("reported_on", "id")
    )
    for report in rows:
        by = report.assignment.assigned_by
        actor = users.get("qn-thuongvu") if by.code == "QNI" else users.get("quantri")
        report_actions.review_report(actor, report, accept=True)
        count += 1
    return count


def load_tracking(docs: dict, unit, stdout=None) -> int:
    """Create plans, tasks, assignments and reports; return the number of assignments."""
    rng = random.Random(21)  # noqa: S311 - demo data, not security
    today = min(datetime.date.today(), REORGANISED - datetime.timedelta(days=1))
    provinces = list(Unit.objects.filter(kind="province", valid_to__isnull=True).order_by("code"))

    kh03 = plan_actions.register_plan(None, docs["kh03"], implements=docs["kl21"])
    study = plan_actions.add_task(
        None, kh03, number="1", lead_unit=unit("TW"), deadline_text="quý I/2022",
        title="Tổ chức học tập, quán triệt Kết luận số 21-KL/TW đến toàn thể cán bộ, đảng viên",
        deliverable="Báo cáo kết quả học tập, quán triệt",
    )  # fmt: skip
    own_plan = plan_actions.add_task(
        None, kh03, number="2", lead_unit=unit("TW"), deadline_text="tháng 12/2021",
        requires_plan=True,
        title="Các tỉnh ủy, thành ủy xây dựng kế hoạch thực hiện Kết luận số 21-KL/TW",
        deliverable="Kế hoạch thực hiện của cấp ủy",
    )  # fmt: skip
    yearly = plan_actions.add_task(
        None, kh03, number="3", lead_unit=unit("TW"), deadline_text="hằng năm từ 2022",
        title="Tự kiểm tra, giám sát việc thực hiện Kết luận số 21-KL/TW và báo cáo kết quả",
        deliverable="Báo cáo kết quả kiểm tra, giám sát hằng năm",
    )  # fmt: skip
    for task in (study, own_plan, yearly):
        assign_actions.assign(None, task, rule="kind", kind="province")

    # Provinces without a seeded plan issue one now: most in December 2021, a few late.
    have_plan = set(
        Assignment.objects.filter(task=own_plan, completed_on__isnull=False).values_list(
            "unit_id", flat=True
        )
    )
    number = 60
    for province in provinces:
        if province.pk in have_plan:
            continue
        number += 1
        late = rng.random() < 0.2
        date = D(2022, 1, rng.randint(5, 25)) if late else D(2021, 12, rng.randint(10, 30))
        _register(
            province, number, "TU", date, SUBJECT_PLAN.format(unit=province.name), docs["kh03"]
        )
    _fill(rng, study, today)
    _fill(rng, yearly, today)

    # KH 52: every provincial organisation commission issues its plan on time (100%).
    kh52 = plan_actions.register_plan(None, docs["kh52"], implements=docs["kh03"])
    btc_plans = plan_actions.add_task(
        None, kh52, number="1", lead_unit=unit("BTCTW"), deadline_text="31/3/2022",
        requires_plan=True,
        title="Ban tổ chức các tỉnh ủy, thành ủy ban hành kế hoạch thực hiện "
        "Kế hoạch số 52-KH/BTCTW",
        deliverable="Kế hoạch của ban tổ chức cấp ủy",
    )  # fmt: skip
    assign_actions.assign(None, btc_plans, rule="kind", kind="org_commission")
    for i, commission in enumerate(
        Unit.objects.filter(kind="org_commission", parent__kind="province").order_by("code"), 1
    ):
        _register(
            commission, i, "BTCTU", D(2022, 3, rng.randint(1, 28)),
            f"Kế hoạch của {commission.name} thực hiện Kế hoạch số 52-KH/BTCTW", docs["kh52"],
        )  # fmt: skip

    # Quảng Ninh's action programme: the tasks of seed 002, down to every commune and ward.
    ctr = plan_actions.register_plan(None, docs["ctr21qn"], implements=docs["kh03"])
    qni = unit("QNI")
    tasks = [
        plan_actions.add_task(
            None, ctr, number="1", lead_unit=qni, deadline_text="quý I/2022",
            title="Mở đợt sinh hoạt sâu rộng trong toàn Đảng bộ tỉnh về xây dựng, chỉnh đốn Đảng; "
            "xây dựng kế hoạch thực hiện Kết luận số 21-KL/TW",
        ),
        plan_actions.add_task(
            None, ctr, number="2", lead_unit=qni, deadline_text="hằng năm từ 2022",
            title="Thực hiện nghiêm việc tự phê bình và phê bình trong sinh hoạt đảng, gắn với "
            "tu dưỡng, rèn luyện, nêu gương của cán bộ, đảng viên",
        ),
        plan_actions.add_task(
            None, ctr, number="3", lead_unit=qni, deadline_text="hằng năm từ 2022",
            title="Rà soát, sửa đổi, bổ sung các quy định, quy chế về công tác cán bộ, tổ chức bộ "
            "máy và trách nhiệm người đứng đầu",
        ),
        plan_actions.add_task(
            None, ctr, number="4", lead_unit=qni,
            deadline_text="thường xuyên, báo cáo 6 tháng",
            title="Đổi mới nội dung, phương thức, nâng cao chất lượng công tác giáo dục chính trị "
            "tư tưởng",
        ),
    ]  # fmt: skip
    for task in tasks:
        for kind in ("commune", "ward"):
            if Unit.objects.filter(kind=kind, path__startswith=qni.path).exists():
                assign_actions.assign(None, task, rule="kind", kind=kind)
        _fill(rng, task, today, late_share=0.2, miss=0.15)
    count = Assignment.objects.count()
    if stdout is not None:
        stdout.write(f"Đã tạo {count} phân công nhiệm vụ.\n")
    return count
