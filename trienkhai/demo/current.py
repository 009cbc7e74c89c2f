"""The demo's current cycle: work dated relative to the day the demo is built.

The Kết luận 21 cascade stays at its own dates (2021–2025); without this cycle every task in
the demo would be years overdue, the trend flat and the ranking a single unit. Everything here
goes through the actions, with the demo logins acting where a person would (the commune
reporters without a login are the system), so counters, versions and the change log hold as
they would after real use.

- A monthly progress report to Tỉnh ủy Lâm Đồng and to Tỉnh ủy Quảng Ninh from every commune
  and ward for the last seven months: each unit keeps its own habits (some on time, some late,
  some silent), so the six-month trend moves and the ranking spreads over many units.
- A central directive issued eight weeks ago, the Politburo's plan on it (every province issues
  its own plan within three weeks, reports on the first results this week), Lâm Đồng's and
  Quảng Ninh's plans down to every commune and ward: tasks done on time, late, overdue, due this
  week and later; reports accepted, awaiting review and returned with a reason; explanations
  requested (one answered, one pending).
- Some communes record their study conference against the task that asked for it.
- Inspections of the provincial inspection commission: one concluded months ago whose
  remediation is due, reported or overdue; one announced and waiting for self-reports. A central
  supervision of the directive at Lâm Đồng and Quảng Ninh, also at its self-report step.
- The classification of the current year (from October on; before that, of the year before
  when the historic period does not already cover it): self-ratings in, some reviewed, the
  decisions left to the province, Tuy Phong's self-rating still to file.
"""

import dataclasses
import datetime
import random

from trienkhai.conferences import actions as conference_actions
from trienkhai.conferences.models import Category, Format
from trienkhai.documents import actions as doc_actions
from trienkhai.documents.models import DocType, Document
from trienkhai.evaluations.actions import periods as period_actions
from trienkhai.evaluations.actions import ratings as rating_actions
from trienkhai.evaluations.models import Evaluation, EvaluationPeriod, Level
from trienkhai.inspections.actions import conclusions as conclusion_actions
from trienkhai.inspections.actions import inspections as inspection_actions
from trienkhai.inspections.actions import remediation as remediation_actions
from trienkhai.inspections.actions import steps as step_actions
from trienkhai.inspections.models import FindingKind, InspectionKind, MemberRole
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import plans as plan_actions
from trienkhai.tracking.actions import reports as report_actions
from trienkhai.tracking.actions import targets as target_actions
from trienkhai.tracking.models import Assignment, ProgressReport, ReportState
from trienkhai.tree.kinds import COMMUNE_LEVEL
from trienkhai.units.models import Unit

D = datetime.date
DAY = datetime.timedelta(days=1)
HISTORY_MONTHS = 7
TERM = "2025-2030"
CENTRAL_TERM = "Khóa XIV"
DIRECTIVE_SUBJECT = (
    "Về tăng cường sự lãnh đạo của Đảng đối với công tác chuyển đổi số trong các cơ quan "
    "đảng, nâng cao chất lượng sinh hoạt chi bộ giai đoạn 2026-2030"
)
TUY_PHONG = "BTH.XA-TUY-PHONG"
SELF_REPORT = "Báo cáo tự kiểm tra theo đề cương của đoàn kiểm tra.".encode()
RETURN_REASON = (
    "Báo cáo chưa nêu số chi bộ đã triển khai và số đảng viên tham gia; đề nghị bổ sung số "
    "liệu và gửi lại."
)


def _months_back(day: D, n: int) -> D:
    """The first day of the month `n` months before `day`'s."""
    month = day.month - 1 - n
    return D(day.year + month // 12, month % 12 + 1, 1)


def _text(day: D) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def commune_units(province: Unit):
    return Unit.objects.filter(
        parent=province, kind__in=sorted(COMMUNE_LEVEL), valid_to__isnull=True
    ).order_by("code")


@dataclasses.dataclass
class Cycle:
    """What the current cycle built, for the tests and the loader's summary."""

    today: D
    directive: Document | None = None
    counts: dict = dataclasses.field(default_factory=dict)


class _Builder:
    def __init__(self, users: dict, today: D, stdout=None):
        self.users = users
        self.today = today
        self.stdout = stdout
        self.rng = random.Random(13)  # noqa: S311 - demo data, not security; same every day
        self.cycle = Cycle(today=today)
        self.numbers: dict[tuple[int, str], int] = {}

    def user(self, name):
        return self.users.get(name)

    def ago(self, days: int) -> D:
        return self.today - days * DAY

    def unit(self, code: str) -> Unit:
        return Unit.objects.get(code=code)

    def coordinator_of(self, unit: Unit):
        """The demo login who coordinates at `unit` (Lâm Đồng, Quảng Ninh), else None."""
        code = unit.code.split(".")[0]
        return {"LDG": self.user("lamdong"), "QNI": self.user("qn-thuongvu")}.get(code)

    def reporter_of(self, unit: Unit):
        return self.user("tuyphong") if unit.code == TUY_PHONG else None

    # --- documents -------------------------------------------------------------------------
    def register(
        self, actor, unit, abbr, doc_type, issuer, date, subject, implements=None, term=TERM
    ):
        key = (unit.pk, abbr)
        self.numbers[key] = self.numbers.get(key, 0) + 1
        number = 40 + self.numbers[key] if issuer in ("TW", "TU") else self.numbers[key]
        doc = doc_actions.register_document(
            actor,
            symbol=f"{number:02d}-{abbr}/{issuer}",
            doc_type=doc_type,
            issuing_unit=unit,
            term=term,
            date=date,
            subject=subject,
        )
        if implements is not None:
            doc_actions.relate(actor, doc, implements, "implements")
        return doc

    # --- reports -----------------------------------------------------------------------------
    def report(self, assignment, on: D, *, done=True, percent=100, narrative=""):
        on = min(on, self.today)
        return report_actions.report_progress(
            self.reporter_of(assignment.unit),
            assignment,
            reported_on=on,
            percent=percent,
            done=done,
            narrative=narrative
            or ("Đã hoàn thành; gửi kèm báo cáo kết quả." if done else "Đang triển khai."),
        )

    def review(self, report: ProgressReport, *, accept=True, reason=""):
        a = report.assignment
        return report_actions.review_report(
            self.coordinator_of(a.assigned_by) or self.user("quantri"),
            report,
            accept=accept,
            reason=reason,
        )

    # --- 1. the monthly report: seven months of history ---------------------------------------
    def monthly(self, province: Unit, coordinator, kh03: Document) -> None:
        start = _months_back(self.today, HISTORY_MONTHS - 1)
        plan_doc = self.register(
            coordinator,
            province,
            "KH",
            DocType.PLAN,
            "TU",
            start - 10 * DAY,
            f"Kế hoạch của {province.name} về báo cáo hằng tháng kết quả thực hiện Kết luận số "
            f"21-KL/TW, Kế hoạch số 03-KH/TW và nhiệm vụ xây dựng Đảng năm {start.year}",
            implements=kh03,
        )
        plan = plan_actions.register_plan(coordinator, plan_doc, implements=kh03)
        task = plan_actions.add_task(
            coordinator,
            plan,
            number="1",
            lead_unit=province,
            deadline_text=f"hằng tháng từ tháng {start.month}/{start.year}",
            title="Báo cáo hằng tháng kết quả lãnh đạo, chỉ đạo thực hiện nhiệm vụ xây dựng "
            "Đảng ở cơ sở",
            deliverable="Báo cáo tháng của đảng ủy xã, phường",
            horizon=_months_back(self.today, -3) - DAY,  # the periods of the next months
        )
        for kind in sorted({u.kind for u in commune_units(province)}):
            assign_actions.assign(coordinator, task, rule="kind", kind=kind)
        rows = (
            Assignment.objects.filter(task=task, due__lte=self.today + 31 * DAY)
            .select_related("unit", "occurrence", "assigned_by")
            .order_by("due", "unit__code")
        )
        # Each unit keeps its habits: the share it files on time, and how often it is silent.
        habits = {}
        for unit in commune_units(province):
            on_time = self.rng.choice([0.95, 0.9, 0.8, 0.7, 0.55, 0.4])
            habits[unit.pk] = (on_time, 0.05 if on_time > 0.6 else 0.2)
        for a in rows:
            on_time, silent = habits.get(a.unit_id, (0.8, 0.1))
            months_ago = (self.today.year - a.due.year) * 12 + self.today.month - a.due.month
            better = 0.04 * (HISTORY_MONTHS - months_ago)  # the province's push shows
            roll = self.rng.random()
            if a.due >= self.today:  # this month's report: some already sent
                if roll < 0.3 and a.unit.code != TUY_PHONG:
                    self.report(a, self.ago(1), done=True)
                continue
            if roll < silent:
                continue  # overdue
            if roll < on_time + better:
                on = a.due - self.rng.randint(0, 4) * DAY
            else:
                on = a.due + self.rng.randint(2, 20) * DAY
                if on > self.today:
                    continue
            report = self.report(a, on)
            # The province reviews within about a week; the latest reports still wait.
            if on < self.ago(8):
                self.review(report)

    # --- 2. the directive and its cascade ------------------------------------------------------
    def directive(self):
        quantri = self.user("quantri")
        tw = self.unit("TW")
        issued = self.ago(56)
        directive = self.register(
            quantri, tw, "CT", DocType.DIRECTIVE, "TW", issued, DIRECTIVE_SUBJECT,
            term=CENTRAL_TERM,
        )  # fmt: skip
        kh = self.register(
            quantri, tw, "KH", DocType.PLAN, "TW", issued + 7 * DAY,
            "Kế hoạch thực hiện Chỉ thị của Bộ Chính trị " + DIRECTIVE_SUBJECT[0].lower()
            + DIRECTIVE_SUBJECT[1:], implements=directive, term=CENTRAL_TERM,
        )  # fmt: skip
        plan = plan_actions.register_plan(quantri, kh, implements=directive)
        own = plan_actions.add_task(
            quantri, plan, number="1", lead_unit=tw, requires_plan=True,
            deadline_text=_text(issued + 28 * DAY),
            title="Các tỉnh ủy, thành ủy ban hành kế hoạch thực hiện Chỉ thị",
            deliverable="Kế hoạch của tỉnh ủy, thành ủy",
        )  # fmt: skip
        first = plan_actions.add_task(
            quantri, plan, number="2", lead_unit=tw,
            deadline_text=_text(self.today + 4 * DAY),
            title="Báo cáo kết quả bước đầu triển khai Chỉ thị",
            deliverable="Báo cáo của tỉnh ủy, thành ủy",
        )  # fmt: skip
        for task in (own, first):
            assign_actions.assign(quantri, task, rule="kind", kind="province")
        self.cycle.directive = directive
        return directive, kh, first

    def provinces_follow(self, kh: Document, first_task) -> dict[str, Document]:
        """Most provinces issue their plan on time, a few late, some not yet."""
        plans = {}
        provinces = Unit.objects.filter(kind="province", valid_to__isnull=True).order_by("code")
        deadline = kh.date + 21 * DAY
        for i, province in enumerate(provinces):
            actor = self.coordinator_of(province)
            if province.code == "LDG":
                date = kh.date + 10 * DAY
            elif province.code == "QNI":
                date = deadline + 6 * DAY  # late
            elif i % 4 == 3:
                continue  # not issued yet: overdue
            else:
                date = kh.date + self.rng.randint(8, 30) * DAY
            plans[province.code] = self.register(
                actor, province, "KH", DocType.PLAN, "TU", min(date, self.ago(2)),
                f"Kế hoạch của {province.name} thực hiện Chỉ thị của Bộ Chính trị "
                + DIRECTIVE_SUBJECT[0].lower() + DIRECTIVE_SUBJECT[1:], implements=kh,
            )  # fmt: skip
        # Some provinces already report their first results: the centre has reports to review.
        rows = Assignment.objects.filter(task=first_task).select_related("unit").order_by("unit")
        for i, a in enumerate(rows):
            if i % 3 == 0 and a.unit.code not in ("LDG", "QNI"):
                self.report(a, self.ago(self.rng.randint(0, 3)))
        return plans

    def province_plan(self, code: str, kh_tu: Document, kh: Document, coordinator) -> None:
        province = self.unit(code)
        plan = plan_actions.register_plan(coordinator, kh_tu, implements=kh)
        start = kh_tu.date
        specs = [
            ("1", start + 21 * DAY, False,
             "Tổ chức hội nghị quán triệt Chỉ thị đến cán bộ chủ chốt, đảng viên ở cơ sở",
             "Báo cáo kết quả quán triệt"),
            ("2", self.ago(7), True,
             "Các đảng ủy xã, phường xây dựng kế hoạch thực hiện Chỉ thị",
             "Kế hoạch của đảng ủy xã, phường"),
            ("3", self.today + 3 * DAY, False,
             "Rà soát, đánh giá chất lượng sinh hoạt chi bộ; báo cáo kết quả về Ban Thường vụ "
             "Tỉnh ủy",
             "Báo cáo rà soát kèm danh sách chi bộ"),
            ("4", self.today + 30 * DAY, False,
             "Số hóa hồ sơ, tài liệu của cấp ủy theo hướng dẫn; báo cáo tiến độ",
             "Báo cáo tiến độ số hóa"),
        ]  # fmt: skip
        tasks = {}
        for number, due, requires_plan, title, deliverable in specs:
            task = plan_actions.add_task(
                coordinator, plan, number=number, lead_unit=province, requires_plan=requires_plan,
                deadline_text=_text(due), title=title, deliverable=deliverable,
                cooperating_units=[self.unit(f"{code}.BTG")] if number == "1" else (),
            )  # fmt: skip
            for kind in sorted({u.kind for u in commune_units(province)}):
                assign_actions.assign(coordinator, task, rule="kind", kind=kind)
            tasks[number] = task
        units = list(commune_units(province))
        self.fill_study(tasks["1"], units, coordinator)
        self.fill_plans(tasks["2"], units, kh_tu)
        self.fill_due_soon(tasks["3"], units)
        self.fill_later(tasks["4"], units)
        if code == "LDG":
            self.fill_targets(plan, province, units, coordinator)

    def fill_targets(self, plan, province, units, coordinator) -> None:
        """A numeric target: 50 new members per commune, split evenly by the coordinator;
        communes report the number admitted to date (some accepted, some awaiting review,
        some silent, Tuy Phong left to report in the walk-through)."""
        due = D(self.today.year, 12, 31)
        if due < self.today + 30 * DAY:
            due = D(self.today.year + 1, 6, 30)
        task = plan_actions.add_task(
            coordinator, plan, number="5", lead_unit=province, deadline_text=_text(due),
            title="Kết nạp đảng viên mới; mỗi đảng ủy xã, phường kết nạp ít nhất 50 đảng viên",
            deliverable="Báo cáo số đảng viên đã kết nạp",
            target_value=50 * len(units), target_unit="đảng viên",
        )  # fmt: skip
        for kind in sorted({u.kind for u in units}):
            assign_actions.assign(coordinator, task, rule="kind", kind=kind)
        target_actions.split_target(coordinator, task, occurrence=task.occurrences.get())
        rows = self._rows(task)
        for i, unit in enumerate(units):
            if unit.code == TUY_PHONG or i % 4 == 3:
                continue
            a = rows[unit.code]
            first = (30, 50, 20)[i % 4]
            report = report_actions.report_progress(
                None, a, reported_on=self.ago(20 + i % 5), percent=min(100, 2 * first),
                done=False, target_reached=first,
                narrative=f"Đã kết nạp {first} đảng viên.",
            )  # fmt: skip
            self.review(report)
            if i % 4 == 2:  # a later figure, still awaiting review: shown apart, not counted
                report_actions.report_progress(
                    None, a, reported_on=self.ago(2), percent=70, done=False,
                    target_reached=35, narrative="Đã kết nạp 35 đảng viên.",
                )  # fmt: skip

    def _rows(self, task):
        return {
            a.unit.code: a
            for a in Assignment.objects.filter(task=task).select_related("unit", "assigned_by")
        }

    def fill_study(self, task, units, coordinator) -> None:
        """Mostly on time (accepted), a few late (one explained), two overdue (one asked)."""
        rows = self._rows(task)
        due = task.deadline
        overdue, late = [], []
        for i, unit in enumerate(units):
            a = rows[unit.code]
            if unit.code == TUY_PHONG or i % 7 == 5:
                overdue.append(a)
                continue
            if i % 5 == 3:
                report = self.report(a, due + self.rng.randint(3, 9) * DAY)
                late.append(a)
            else:
                report = self.report(a, due - self.rng.randint(0, 6) * DAY)
            if report.reported_on < self.ago(3):
                self.review(report)
            if i % 3 == 0:  # the conference itself, recorded against the task's deadline
                self.conference(a, report.reported_on - 2 * DAY)
        asked = {a.pk: a for a in overdue[:1] + [x for x in overdue if x.unit.code == TUY_PHONG]}
        for a in asked.values():
            report_actions.request_explanation(
                coordinator, a,
                question="Đề nghị giải trình lý do chưa tổ chức hội nghị quán triệt Chỉ thị "
                "đúng thời hạn và nêu ngày dự kiến tổ chức.",
            )  # fmt: skip
        if late:
            request = report_actions.request_explanation(
                coordinator, late[0],
                question="Đề nghị giải trình lý do tổ chức hội nghị quán triệt chậm so với "
                "kế hoạch.",
            )  # fmt: skip
            report_actions.answer_explanation(
                None, request,
                answer="Đảng ủy lùi hội nghị một tuần để kết hợp với hội nghị sơ kết quý, bảo "
                "đảm đông đủ đảng viên tham dự; đã rút kinh nghiệm.",
            )  # fmt: skip

    def conference(self, a: Assignment, day: D) -> None:
        plan_doc = a.task.plan.document
        members = self.rng.randint(180, 420)
        attending = members - self.rng.randint(3, 15)
        conference_actions.record_conference(
            self.reporter_of(a.unit), host=a.unit, date=day,
            title=f"Hội nghị quán triệt Chỉ thị của Bộ Chính trị và {plan_doc.symbol} — "
            f"{a.unit.name}", format=Format.IN_PERSON,
            documents=[self.cycle.directive, plan_doc], points=[("Cấp xã", 1)],
            attendance=[("Cấp xã", Category.PARTY_MEMBERS, attending)],
            members_expected=members, members_attending=attending, deadline_assignment=a,
        )  # fmt: skip

    def fill_plans(self, task, units, kh_tu) -> None:
        """Communes issue their plans: most before the deadline, some after, two not yet."""
        for i, unit in enumerate(units):
            if i % 6 == 4:
                continue
            date = task.deadline - self.rng.randint(1, 12) * DAY
            if i % 5 == 2:
                date = min(task.deadline + self.rng.randint(2, 6) * DAY, self.ago(1))
            self.register(
                None, unit, "KH", DocType.PLAN, "ĐU", date,
                f"Kế hoạch của {unit.name} thực hiện Chỉ thị của Bộ Chính trị và "
                f"{kh_tu.symbol} của {kh_tu.issuing_unit.name}", implements=kh_tu,
            )  # fmt: skip

    def fill_due_soon(self, task, units) -> None:
        """Due this week: some done and waiting for review, one returned, some in progress."""
        rows = self._rows(task)
        returned = 0
        for i, unit in enumerate(units):
            a = rows[unit.code]
            if unit.code == TUY_PHONG:
                report = self.report(a, self.ago(4), narrative="Đã rà soát các chi bộ.")
                self.review(report, accept=False, reason=RETURN_REASON)
                continue
            if i % 3 == 0:
                report = self.report(a, self.ago(self.rng.randint(0, 4)))
                if returned == 0 and i > 0:
                    self.review(report, accept=False, reason=RETURN_REASON)
                    returned += 1
            elif i % 3 == 1:
                self.report(a, self.ago(self.rng.randint(3, 10)), done=False, percent=60)

    def fill_later(self, task, units) -> None:
        rows = self._rows(task)
        for i, unit in enumerate(units):
            if i % 2 == 0 and unit.code != TUY_PHONG:
                self.report(
                    rows[unit.code], self.ago(self.rng.randint(1, 10)), done=False,
                    percent=self.rng.choice([20, 30, 50]),
                )  # fmt: skip

    # --- 3. inspections ------------------------------------------------------------------------
    def _walk_to_announced(self, actor, inspection, *, decided: D, announced: D, symbol: str):
        doc = step_actions.register_side_document(
            actor, inspection, doc_type=DocType.DECISION, symbol=symbol, date=decided,
            subject=f"Quyết định thành lập {inspection.team_name[0].lower()}"
            f"{inspection.team_name[1:]}", term=TERM,
        )  # fmt: skip
        inspection = step_actions.decide(actor, inspection, decision=doc)
        return step_actions.announce(actor, inspection, date=announced)

    def province_inspections(self, directive: Document) -> None:
        lamdong = self.user("lamdong")
        ldg = self.unit("LDG")
        ubkt = self.unit("LDG.UBKT")
        communes = list(commune_units(ldg))
        tuy_phong = self.unit(TUY_PHONG)
        others = [u for u in communes if u.pk != tuy_phong.pk]
        # (a) concluded months ago: remediation due soon, one reported, one overdue.
        past = inspection_actions.create_inspection(
            lamdong, kind=InspectionKind.THEMATIC_INSPECTION, unit=ldg, acting_body=ubkt,
            team_name="Đoàn kiểm tra số 2 của Ủy ban Kiểm tra Tỉnh ủy Lâm Đồng",
            title="Kiểm tra việc lãnh đạo, chỉ đạo sinh hoạt chi bộ và thực hiện chế độ báo cáo "
            "định kỳ", inspected_units=[tuy_phong, others[0], others[1]],
            period_from=D(2025, 7, 1), period_to=self.ago(130),
            work_from=self.ago(110), work_to=self.ago(80), planned_on=self.ago(125),
        )  # fmt: skip
        inspection_actions.add_member(
            lamdong, past, name="Nguyễn Thị Hạnh", role=MemberRole.LEADER,
            position="Phó Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy",
        )  # fmt: skip
        past = self._walk_to_announced(
            lamdong, past, decided=self.ago(118), announced=self.ago(110), symbol="21-QĐ/UBKTTU"
        )
        for part in past.parts.all():
            inspection_actions.upload_self_report(
                self.reporter_of(part.unit), part, submitted_on=self.ago(100),
                name=f"bao-cao-tu-kiem-tra-{part.unit.code.lower()}.txt", content=SELF_REPORT,
            )  # fmt: skip
        past = step_actions.receive_self_reports(lamdong, past, date=self.ago(98))
        past = step_actions.start_verification(lamdong, past, date=self.ago(95))
        notice = step_actions.register_side_document(
            lamdong, past, doc_type=DocType.NOTICE, symbol="35-TB/UBKTTU", date=self.ago(75),
            subject="Thông báo kết luận kiểm tra việc lãnh đạo, chỉ đạo sinh hoạt chi bộ và "
            "thực hiện chế độ báo cáo định kỳ", term=TERM,
        )  # fmt: skip
        past = step_actions.conclude(lamdong, past, notice=notice)
        parts = {p.unit_id: p for p in past.parts.all()}
        conclusion_actions.add_finding(
            lamdong, parts[tuy_phong.pk], kind=FindingKind.SHORTCOMING, area="Sinh hoạt chi bộ",
            text="Một số chi bộ sinh hoạt chưa đúng định kỳ; nội dung sinh hoạt chuyên đề còn "
            "chung chung; báo cáo định kỳ gửi chậm.",
        )  # fmt: skip
        due_soon = conclusion_actions.add_request(
            lamdong, parts[tuy_phong.pk], deadline=self.today + 9 * DAY,
            text="Chỉ đạo các chi bộ sinh hoạt đúng định kỳ, mỗi quý ít nhất một buổi sinh hoạt "
            "chuyên đề; báo cáo kết quả khắc phục về Ủy ban Kiểm tra Tỉnh ủy.",
        )  # fmt: skip
        reported = conclusion_actions.add_request(
            lamdong, parts[others[0].pk], deadline=self.ago(5),
            text="Thực hiện đúng chế độ báo cáo định kỳ hằng tháng với Ban Thường vụ Tỉnh ủy.",
        )  # fmt: skip
        overdue = conclusion_actions.add_request(
            lamdong, parts[others[1].pk], deadline=self.ago(12),
            text="Kiện toàn sổ sách, hồ sơ sinh hoạt của các chi bộ trực thuộc.",
        )  # fmt: skip
        past = step_actions.start_remediation(lamdong, past, date=self.ago(70))
        tuyphong = self.user("tuyphong")
        remediation_actions.file_action_plan(
            tuyphong, due_soon, date=self.ago(65),
            text="Ban Thường vụ Đảng ủy xã giao từng đồng chí đảng ủy viên phụ trách chi bộ dự "
            "sinh hoạt; lịch sinh hoạt chuyên đề theo quý.",
        )  # fmt: skip
        remediation_actions.start(tuyphong, due_soon, date=self.ago(60))
        remediation_actions.file_action_plan(
            None, reported, date=self.ago(66),
            text="Phân công văn phòng đảng ủy theo dõi, gửi báo cáo trước ngày 25 hằng tháng.",
        )  # fmt: skip
        remediation_actions.start(None, reported, date=self.ago(60))
        remediation_actions.report(
            None, reported, reported_on=self.ago(6),
            text="Ba tháng gần đây đã gửi báo cáo tháng đúng hạn; gửi kèm sổ theo dõi.",
        )  # fmt: skip
        remediation_actions.file_action_plan(
            None, overdue, date=self.ago(60), text="Rà soát sổ sách của các chi bộ trong quý."
        )
        # (b) announced ten days ago: one self-report in, Tuy Phong's still to file.
        now = inspection_actions.create_inspection(
            lamdong, kind=InspectionKind.THEMATIC_INSPECTION, unit=ldg, acting_body=ubkt,
            team_name="Đoàn kiểm tra số 5 của Ủy ban Kiểm tra Tỉnh ủy Lâm Đồng",
            title="Kiểm tra việc triển khai thực hiện Chỉ thị của Bộ Chính trị về chuyển đổi số "
            "và sinh hoạt chi bộ", directives=[directive],
            inspected_units=[tuy_phong, others[2]],
            period_from=directive.date, period_to=self.ago(20),
            work_from=self.ago(10), work_to=self.today + 35 * DAY, planned_on=self.ago(20),
        )  # fmt: skip
        now = self._walk_to_announced(
            lamdong, now, decided=self.ago(15), announced=self.ago(10), symbol="48-QĐ/UBKTTU"
        )
        inspection_actions.upload_self_report(
            None, now.parts.get(unit=others[2]), submitted_on=self.ago(2),
            name=f"bao-cao-tu-kiem-tra-{others[2].code.lower()}.txt", content=SELF_REPORT,
        )  # fmt: skip

    def central_supervision(self, directive: Document) -> None:
        kiemtra = self.user("kiemtra")
        inspection = inspection_actions.create_inspection(
            kiemtra, kind=InspectionKind.THEMATIC_SUPERVISION, unit=self.unit("TW"),
            team_name="Đoàn giám sát số 12 của Bộ Chính trị",
            title="Giám sát việc ban hành kế hoạch và tổ chức thực hiện Chỉ thị tại Ban Thường "
            "vụ Tỉnh ủy Lâm Đồng và Ban Thường vụ Tỉnh ủy Quảng Ninh", directives=[directive],
            inspected_units=[self.unit("LDG"), self.unit("QNI")],
            period_from=directive.date, period_to=self.ago(14),
            work_from=self.ago(12), work_to=self.today + 45 * DAY, planned_on=self.ago(21),
        )  # fmt: skip
        inspection_actions.add_member(
            kiemtra, inspection, name="Lê Văn Minh", role=MemberRole.LEADER,
            position="Ủy viên Ủy ban Kiểm tra Trung ương",
        )  # fmt: skip
        inspection = self._walk_to_announced(
            kiemtra, inspection, decided=self.ago(16), announced=self.ago(12),
            symbol="1412-QĐ/TW",
        )  # fmt: skip
        inspection_actions.upload_self_report(
            self.user("qn-thuongvu"), inspection.parts.get(unit__code="QNI"),
            submitted_on=self.ago(3), name="bao-cao-tu-giam-sat-qni.txt", content=SELF_REPORT,
        )  # fmt: skip

    # --- 4. the classification --------------------------------------------------------------
    def classification(self) -> EvaluationPeriod | None:
        year = self.today.year if self.today.month >= 10 else self.today.year - 1
        tw = self.unit("TW")
        if EvaluationPeriod.objects.filter(unit=tw, year=year).exists():
            return None
        period = period_actions.create_period(
            self.user("quantri"), unit=tw, year=year,
            name=f"Đánh giá, xếp loại chất lượng tổ chức đảng năm {year}",
        )  # fmt: skip
        lamdong = self.user("lamdong")
        ldg = self.unit("LDG")
        rating_actions.open_evaluations(lamdong, period, ldg)
        rated_on = max(period.starts_on, min(D(year, 12, 31), self.ago(6)))
        evs = (
            Evaluation.objects.filter(period=period, decider=ldg, unit__kind__in=COMMUNE_LEVEL)
            .select_related("unit")
            .order_by("unit__code")
        )
        for i, ev in enumerate(evs):
            if ev.unit.code == TUY_PHONG:
                continue  # Tuy Phong's self-rating is still to file
            level = Level.GOOD if i % 4 else Level.EXCELLENT
            general, results = (28, 63) if level == Level.EXCELLENT else (25, 55 - i % 5)
            ev = rating_actions.self_rate(
                None, ev, general=general, results=results, level=level,
                on_time_percent=100 if level == Level.EXCELLENT else 85 + i % 10,
                exceeded_percent=32 if level == Level.EXCELLENT else 10,
                narrative=f"Báo cáo kiểm điểm tập thể năm {year}.",
                members={"excellent": 8, "good": 30 + i, "complete": 4, "not_complete": 0,
                         "not_rated": 1},
                rated_on=rated_on,
            )  # fmt: skip
            if i % 2 == 0:
                rating_actions.review(
                    lamdong, ev, general=general, results=results, level=level,
                    narrative="Ban Tổ chức Tỉnh ủy thẩm định, đề xuất giữ mức tự xếp loại.",
                    reviewed_on=max(rated_on, self.ago(2)),
                )  # fmt: skip
        return period

    def run(self) -> Cycle:
        kh03 = Document.objects.get(symbol="03-KH/TW", issuing_unit__code="TW")
        for code, login in (("LDG", "lamdong"), ("QNI", "qn-thuongvu")):
            self.monthly(self.unit(code), self.user(login), kh03)
        directive, kh, first = self.directive()
        plans = self.provinces_follow(kh, first)
        for code, login in (("LDG", "lamdong"), ("QNI", "qn-thuongvu")):
            self.province_plan(code, plans[code], kh, self.user(login))
        self.province_inspections(directive)
        self.central_supervision(directive)
        self.classification()
        self.cycle.counts = {
            "awaiting_review": ProgressReport.objects.filter(state=ReportState.SUBMITTED).count(),
            "returned": ProgressReport.objects.filter(state=ReportState.RETURNED).count(),
        }
        return self.cycle


def load_current(users: dict, today: D, stdout=None) -> Cycle:
    """Build the current cycle as of `today` (the day the demo is created); `users` maps the
    demo logins' names to their users."""
    cycle = _Builder(users, today, stdout).run()
    if stdout is not None:
        stdout.write(
            f"Chu kỳ hiện tại đến ngày {today.strftime('%d/%m/%Y')}: "
            f"{cycle.counts['awaiting_review']} báo cáo chờ duyệt.\n"
        )
    return cycle
