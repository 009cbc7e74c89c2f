"""Plans, tasks, reports, reviews, explanations: the rules each action enforces.

`doc`, `kl21` and `central_plan` are imported by the other tracking action tests.
"""

import datetime
import itertools

import pytest

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.actions import ActionError, PermissionRefused, StaleEdit
from trienkhai.core.models import ChangeLogEntry
from trienkhai.documents import actions as doc_actions
from trienkhai.documents.models import DocType, DocumentRelation, RelationKind
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import plans as plan_actions
from trienkhai.tracking.actions import reports as report_actions
from trienkhai.tracking.models import (
    Assignment,
    Evidence,
    Occurrence,
    Plan,
    ProgressReport,
    ReportState,
    TaskKind,
)
from trienkhai.tracking.status import Status, assignment_status

D = datetime.date
_numbers = itertools.count(1)


PLAN_DATE = D(2021, 12, 1)


def doc(unit, *, type_code="KH", issuer="TW", date=PLAN_DATE, doc_type=DocType.PLAN):
    n = next(_numbers)
    return doc_actions.register_document(
        None,
        symbol=f"{n:02d}-{type_code}/{issuer}",
        doc_type=doc_type,
        issuing_unit=unit,
        term="XIII",
        date=date,
        subject=f"Văn bản {n}",
    )


def kl21(tree):
    return doc(tree["root"], type_code="KL", date=D(2021, 10, 25), doc_type=DocType.CONCLUSION)


def central_plan(tree, directive=None):
    directive = directive or kl21(tree)
    return plan_actions.register_plan(None, doc(tree["root"]), implements=directive)


def one_off(plan, deadline="quý I/2022", **kw):
    return plan_actions.add_task(
        None,
        plan,
        title="Tổ chức học tập, quán triệt",
        lead_unit=plan.unit,
        deadline_text=deadline,
        **kw,
    )


@pytest.fixture
def coordinator_root(tree):
    return factories.user("coord-root", (Role.COORDINATOR, tree["root"]))


@pytest.fixture
def reporter_a(tree):
    return factories.user("rep-a", (Role.REPORTER, tree["prov_a"], False))


@pytest.fixture
def flow(tree):
    """A central plan's Q1/2022 task given to both provinces."""
    plan = central_plan(tree)
    task = one_off(plan)
    assign_actions.assign(None, task, rule="children", kind=None)
    a = Assignment.objects.get(task=task, unit=tree["prov_a"])
    return {"plan": plan, "task": task, "a": a}


# --- plans -----------------------------------------------------------------------------------


def test_register_plan_relates_and_sets_root_through_a_chain(tree):
    directive = kl21(tree)
    top = central_plan(tree, directive)
    province_doc = doc(tree["prov_a"], issuer="TU", date=D(2022, 1, 10))
    province = plan_actions.register_plan(None, province_doc, implements=top)
    commune_doc = doc(tree["commune_a"], issuer="ĐU", date=D(2022, 2, 1))
    commune = plan_actions.register_plan(None, commune_doc, implements=province_doc)
    assert (province.parent_id, province.directive_id) == (top.pk, directive.pk)
    assert (commune.parent_id, commune.directive_id) == (province.pk, directive.pk)
    assert DocumentRelation.objects.filter(
        source=commune_doc, target=province_doc, kind=RelationKind.IMPLEMENTS
    ).exists()
    assert ChangeLogEntry.objects.filter(action="tracking.register_plan").count() == 3


def test_register_plan_uses_an_existing_relation_and_refuses_twice(tree):
    directive = kl21(tree)
    plan_doc = doc(tree["prov_a"], issuer="TU")
    doc_actions.relate(None, plan_doc, directive, RelationKind.IMPLEMENTS)
    plan = plan_actions.register_plan(None, plan_doc)
    assert plan.directive_id == directive.pk and plan.parent_id is None
    with pytest.raises(ActionError):
        plan_actions.register_plan(None, plan_doc)
    with pytest.raises(ActionError) as err:
        plan_actions.register_plan(None, doc(tree["prov_b"], issuer="TU"))
    assert err.value.field == "implements"


# --- tasks -----------------------------------------------------------------------------------


def test_task_by_quarter_is_due_on_its_last_day(tree):
    task = one_off(central_plan(tree), "Ngay trong quý I/2022", number="1")
    assert (task.kind, task.deadline) == (TaskKind.ONE_OFF, D(2022, 3, 31))
    (occ,) = task.occurrences.all()
    assert (occ.label, occ.period_start, occ.due) == ("Quý I/2022", D(2022, 1, 1), D(2022, 3, 31))
    assert ChangeLogEntry.objects.filter(action="tracking.add_task").count() == 1


def test_yearly_task_gets_one_occurrence_per_year(tree):
    task = one_off(central_plan(tree), "hằng năm từ 2022", horizon=D(2025, 12, 31))
    assert (task.kind, task.period, task.starts_on) == ("recurring", "yearly", D(2022, 1, 1))
    rows = list(task.occurrences.values_list("label", "due"))
    assert rows == [(f"Năm {y}", D(y, 12, 31)) for y in range(2022, 2026)]


def test_continuous_task_reports_every_quarter_from_the_plan_date(tree):
    task = one_off(central_plan(tree), "thường xuyên, báo cáo hằng quý", horizon=D(2022, 12, 31))
    labels = list(task.occurrences.values_list("label", flat=True))
    assert labels == ["Quý IV/2021", "Quý I/2022", "Quý II/2022", "Quý III/2022", "Quý IV/2022"]


def test_unreadable_deadline_and_outside_lead_unit_are_refused(tree):
    plan = central_plan(tree)
    with pytest.raises(ActionError) as err:
        one_off(plan, "sớm nhất có thể")
    assert err.value.field == "deadline_text" and "Không đọc được" in err.value.message
    province_plan = plan_actions.register_plan(
        None, doc(tree["prov_a"], issuer="TU"), implements=plan
    )
    with pytest.raises(ActionError) as err:
        plan_actions.add_task(
            None, province_plan, title="X", lead_unit=tree["prov_b"], deadline_text="năm 2022"
        )
    assert err.value.field == "lead_unit"
    assert not province_plan.tasks.exists()


def test_update_task_moves_the_deadline_and_refuses_a_stale_version(tree, coordinator_root):
    plan = central_plan(tree)
    task = one_off(plan)
    assign_actions.assign(None, task, rule="children")
    task = plan_actions.update_task(
        coordinator_root, task, expected_version=1, deadline_text="tháng 6/2022", title="Mới"
    )
    assert task.version == 2 and task.deadline == D(2022, 6, 30)
    assert set(Assignment.objects.filter(task=task).values_list("due", flat=True)) == {
        D(2022, 6, 30)
    }
    with pytest.raises(StaleEdit) as err:
        plan_actions.update_task(coordinator_root, task, expected_version=1, title="Cũ")
    assert err.value.current["title"] == "Mới" and err.value.current["version"] == 2
    assert "coord-root" in err.value.message
    task.refresh_from_db()
    assert task.title == "Mới"


def test_completed_occurrence_is_frozen(tree, flow):
    for a in Assignment.objects.filter(task=flow["task"]):
        r = report_actions.report_progress(
            None, a, reported_on=D(2022, 3, 1), percent=100, done=True
        )
        report_actions.review_report(None, r, accept=True)
    with pytest.raises(ActionError) as err:
        plan_actions.update_task(
            None, flow["task"], expected_version=1, deadline_text="quý II/2022"
        )
    assert "không thể đổi thời hạn" in err.value.message
    assert Occurrence.objects.get(task=flow["task"]).due == D(2022, 3, 31)


def test_recurring_task_cannot_change_rhythm_once_assigned(tree):
    task = one_off(central_plan(tree), "hằng quý", horizon=D(2022, 12, 31))
    assign_actions.assign(None, task, rule="children")
    with pytest.raises(ActionError):
        plan_actions.update_task(None, task, expected_version=1, deadline_text="hằng tháng")
    assert task.occurrences.count() == 5


# --- reports ---------------------------------------------------------------------------------


def test_report_accept_return_resubmit(tree, flow, reporter_a, coordinator_root):
    a = flow["a"]
    r1 = report_actions.report_progress(
        reporter_a, a, reported_on=D(2022, 2, 1), percent=40, done=False, narrative="Đang làm"
    )
    a.refresh_from_db()
    assert (a.started_on, a.percent, a.completed_on, a.version) == (D(2022, 2, 1), 40, None, 2)
    report_actions.review_report(coordinator_root, r1, accept=True)
    r2 = report_actions.report_progress(
        reporter_a, a, reported_on=D(2022, 3, 20), percent=100, done=True, expected_version=2
    )
    a.refresh_from_db()
    # Done means accepted: until then the completion is a claim awaiting review.
    assert (a.completed_on, a.claimed_on, a.percent) == (None, D(2022, 3, 20), 100)
    assert assignment_status(a, D(2022, 3, 25)) == Status.AWAITING_REVIEW
    assert assignment_status(a, D(2022, 3, 19)) == Status.IN_PROGRESS
    with pytest.raises(ActionError):
        report_actions.review_report(coordinator_root, r2, accept=False, reason="  ")
    report_actions.review_report(
        coordinator_root, r2, accept=False, reason="Thiếu biên bản hội nghị"
    )
    a.refresh_from_db()
    assert (a.completed_on, a.claimed_on, a.percent) == (None, None, 40)
    assert assignment_status(a, D(2022, 3, 25)) == Status.IN_PROGRESS
    r3 = report_actions.report_progress(
        reporter_a, a, reported_on=D(2022, 4, 5), percent=100, done=True
    )
    a.refresh_from_db()
    assert (a.completed_on, a.claimed_on) == (None, D(2022, 4, 5))
    with pytest.raises(ActionError) as err:
        report_actions.report_progress(
            reporter_a, a, reported_on=D(2022, 4, 6), percent=50, done=False
        )
    assert "đang chờ duyệt" in err.value.message
    states = list(ProgressReport.objects.filter(assignment=a).values_list("pk", "state"))
    assert states == [
        (r3.pk, ReportState.SUBMITTED),
        (r2.pk, ReportState.RETURNED),
        (r1.pk, ReportState.ACCEPTED),
    ]
    assert ProgressReport.objects.get(pk=r2.pk).return_reason == "Thiếu biên bản hội nghị"
    report_actions.review_report(coordinator_root, r3, accept=True)
    a.refresh_from_db()
    assert (a.completed_on, a.claimed_on, a.percent) == (D(2022, 4, 5), None, 100)
    assert assignment_status(a, D(2022, 4, 10)) == Status.DONE_LATE
    with pytest.raises(ActionError) as err:
        report_actions.report_progress(
            reporter_a, a, reported_on=D(2022, 4, 6), percent=100, done=True
        )
    assert "đã hoàn thành" in err.value.message
    with pytest.raises(ActionError):
        report_actions.review_report(coordinator_root, r1, accept=False, reason="x")


def test_stale_report_and_review_are_refused(tree, flow, reporter_a, coordinator_root):
    a = flow["a"]
    report = report_actions.report_progress(
        reporter_a, a, reported_on=D(2022, 2, 1), percent=10, done=False
    )
    with pytest.raises(StaleEdit) as err:
        report_actions.report_progress(
            reporter_a, a, reported_on=D(2022, 2, 2), percent=20, done=False, expected_version=1
        )
    assert err.value.current["percent"] == 10 and "rep-a" in err.value.message
    report_actions.review_report(coordinator_root, report, accept=True, expected_version=1)
    with pytest.raises(StaleEdit):
        report_actions.review_report(
            coordinator_root, report, accept=False, reason="x", expected_version=1
        )
    assert ProgressReport.objects.filter(assignment=a).count() == 1


def test_report_input_is_checked(tree, flow, reporter_a):
    a = flow["a"]
    for kwargs in (
        {"percent": 140, "done": False, "reported_on": D(2022, 2, 1)},
        {"percent": "nhiều", "done": False, "reported_on": D(2022, 2, 1)},
        {"percent": 10, "done": False, "reported_on": D(2999, 1, 1)},
        {"percent": 10, "done": False, "reported_on": D(2022, 2, 1), "files": [("a.html", b"x")]},
    ):
        with pytest.raises(ActionError):
            report_actions.report_progress(reporter_a, a, **kwargs)
    assert not ProgressReport.objects.exists()


def test_evidence_is_stored_under_its_hash(tree, flow, reporter_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    files = [("biên bản.pdf", b"%PDF-1.4 x"), ("ảnh.PNG", b"\x89PNG x")]
    report = report_actions.report_progress(
        reporter_a, flow["a"], reported_on=D(2022, 2, 1), percent=10, done=False, files=files
    )
    rows = list(Evidence.objects.filter(report=report).order_by("id"))
    assert [(e.original_name, e.content_type) for e in rows] == [
        ("biên bản.pdf", "application/pdf"),
        ("ảnh.PNG", "image/png"),
    ]
    assert rows[0].file.name == f"evidence/{rows[0].sha256}"
    assert rows[0].file.read() == b"%PDF-1.4 x"


# --- explanations ----------------------------------------------------------------------------


def test_explanation_only_for_late_work(tree, flow, reporter_a, coordinator_root):
    a = flow["a"]  # due 31/03/2022, not done: overdue today
    req = report_actions.request_explanation(coordinator_root, a, question="Vì sao chậm?")
    answered = report_actions.answer_explanation(reporter_a, req, answer="Do sáp nhập đơn vị")
    assert answered.answer == "Do sáp nhập đơn vị" and answered.answered_by == reporter_a
    with pytest.raises(ActionError):
        report_actions.answer_explanation(reporter_a, req, answer="Lần nữa")
    on_time = Assignment.objects.get(task=flow["task"], unit=tree["prov_b"])
    r = report_actions.report_progress(
        None, on_time, reported_on=D(2022, 3, 1), percent=100, done=True
    )
    with pytest.raises(ActionError) as err:  # reported on time, awaiting review: not late
        report_actions.request_explanation(coordinator_root, on_time, question="?")
    assert "chờ duyệt" in err.value.message
    report_actions.review_report(None, r, accept=True)
    with pytest.raises(ActionError) as err:
        report_actions.request_explanation(coordinator_root, on_time, question="?")
    assert "Hoàn thành đúng hạn" in err.value.message
    late = Assignment.objects.create(
        occurrence=a.occurrence,
        task=a.task,
        directive=a.directive,
        unit=tree["commune_a"],
        unit_path=tree["commune_a"].path,
        assigned_by=a.assigned_by,
        due=a.due,
        completed_on=D(2022, 5, 1),
    )
    assert report_actions.request_explanation(coordinator_root, late, question="Vì sao muộn?")
    assert ChangeLogEntry.objects.filter(action__contains="explanation").count() == 3


# --- permissions -----------------------------------------------------------------------------


def test_wrong_roles_are_refused(tree, flow, reporter_a):
    province_coord = factories.user("coord-a", (Role.COORDINATOR, tree["prov_a"]))
    reporter_b = factories.user("rep-b", (Role.REPORTER, tree["prov_b"]))
    viewer_root = factories.user("view-root", (Role.VIEWER, tree["root"]))
    a, task, plan = flow["a"], flow["task"], flow["plan"]
    refused = [
        lambda: plan_actions.register_plan(province_coord, doc(tree["root"]), implements=plan),
        lambda: plan_actions.add_task(
            province_coord, plan, title="X", lead_unit=tree["root"], deadline_text="năm 2022"
        ),
        lambda: plan_actions.update_task(province_coord, task, expected_version=1, title="X"),
        lambda: assign_actions.assign(province_coord, task, rule="children"),
        lambda: assign_actions.assign(viewer_root, task, rule="children"),
        lambda: report_actions.report_progress(
            reporter_b, a, reported_on=D(2022, 2, 1), percent=1, done=False
        ),
        lambda: report_actions.report_progress(
            viewer_root, a, reported_on=D(2022, 2, 1), percent=1, done=False
        ),
        # The assigned province's own coordinator does not review what the centre assigned.
        lambda: report_actions.request_explanation(province_coord, a, question="?"),
        lambda: report_actions.request_explanation(reporter_a, a, question="?"),
    ]
    for attempt in refused:
        with pytest.raises(PermissionRefused):
            attempt()
    report = report_actions.report_progress(
        reporter_a, a, reported_on=D(2022, 2, 1), percent=1, done=False
    )
    with pytest.raises(PermissionRefused):
        report_actions.review_report(province_coord, report, accept=True)
    with pytest.raises(PermissionRefused):
        report_actions.review_report(reporter_a, report, accept=True)
    req = report_actions.request_explanation(None, a, question="?")
    with pytest.raises(PermissionRefused):
        report_actions.answer_explanation(reporter_b, req, answer="x")
    assert Plan.objects.count() == 1 and ProgressReport.objects.count() == 1
