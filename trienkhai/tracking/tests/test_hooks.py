"""Tracking follows the registry and the tree: plan obligations, handover, moved paths."""

import datetime

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.models import ChangeLogEntry
from trienkhai.documents import actions as doc_actions
from trienkhai.documents.models import RelationKind
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import plans as plan_actions
from trienkhai.tracking.actions import reports as report_actions
from trienkhai.tracking.models import Assignment
from trienkhai.tracking.review_queue import waiting_count
from trienkhai.tracking.status import Status, assignment_status
from trienkhai.tracking.tests.test_actions import central_plan, doc, kl21, one_off
from trienkhai.tree.kinds import UnitKind
from trienkhai.units import actions as unit_actions
from trienkhai.units.models import Unit

D = datetime.date


def obligation(tree, directive=None):
    plan = central_plan(tree, directive)
    task = one_off(plan, "tháng 12/2021", requires_plan=True)
    assign_actions.assign(None, task, rule="kind", kind=UnitKind.PROVINCE)
    return plan, task


def row(task, unit):
    return Assignment.objects.get(task=task, unit=unit)


def test_registering_an_implementing_plan_meets_the_obligation(tree):
    directive = kl21(tree)
    plan, task = obligation(tree, directive)
    on_time = doc(tree["prov_a"], issuer="TU", date=D(2021, 12, 15))
    doc_actions.relate(None, on_time, directive, RelationKind.IMPLEMENTS)
    late = doc(tree["prov_b"], issuer="TU", date=D(2022, 1, 20))
    doc_actions.relate(None, late, plan.document, RelationKind.IMPLEMENTS)
    a, b = row(task, tree["prov_a"]), row(task, tree["prov_b"])
    assert (a.completed_on, a.fulfilled_by_id, a.percent) == (D(2021, 12, 15), on_time.pk, 100)
    assert b.completed_on == D(2022, 1, 20)
    as_of = D(2022, 6, 1)
    assert assignment_status(a, as_of) == Status.DONE_ON_TIME
    assert assignment_status(b, as_of) == Status.DONE_LATE
    assert ChangeLogEntry.objects.filter(action="tracking.plan_obligation_met").count() == 2


def test_other_documents_and_other_units_do_not_meet_it(tree):
    directive = kl21(tree)
    _plan, task = obligation(tree, directive)
    unrelated = kl21(tree)
    doc_actions.relate(None, doc(tree["prov_a"], issuer="TU"), unrelated, RelationKind.IMPLEMENTS)
    doc_actions.relate(None, doc(tree["prov_a"], issuer="TU"), directive, RelationKind.CITES)
    doc_actions.relate(
        None, doc(tree["commune_b"], issuer="ĐU"), directive, RelationKind.IMPLEMENTS
    )
    assert not Assignment.objects.filter(task=task, completed_on__isnull=False).exists()


def test_implementing_a_plan_of_the_same_directive_meets_it(tree):
    """A commune that implements its province's plan has issued its plan for the directive."""
    directive = kl21(tree)
    central = central_plan(tree, directive)
    task = one_off(central, "quý I/2022", requires_plan=True)
    assign_actions.assign(None, task, rule="kind", kind=UnitKind.COMMUNE)
    province_doc = doc(tree["prov_a"], issuer="TU", date=D(2022, 1, 5))
    plan_actions.register_plan(None, province_doc, implements=central)
    commune_doc = doc(tree["commune_a"], issuer="ĐU", date=D(2022, 2, 1))
    plan_actions.register_plan(None, commune_doc, implements=province_doc)
    assert row(task, tree["commune_a"]).completed_on == D(2022, 2, 1)
    assert row(task, tree["commune_b"]).completed_on is None


def test_merge_hands_unfinished_work_to_the_successor(tree):
    plan = central_plan(tree)
    task = one_off(plan)
    assign_actions.assign(None, task, units=[tree["commune_a"]])
    done_task = one_off(plan, "tháng 12/2021")
    assign_actions.assign(None, done_task, units=[tree["commune_a"]])
    done = row(done_task, tree["commune_a"])
    report = report_actions.report_progress(
        None, done, reported_on=D(2021, 12, 10), percent=100, done=True
    )
    report_actions.review_report(None, report, accept=True)
    shared = one_off(plan, "năm 2022")
    assign_actions.assign(None, shared, units=[tree["commune_a"], tree["commune_b"]])

    unit_actions.merge_units(
        None, units=[tree["commune_a"]], into=tree["commune_b"], date=D(2022, 2, 1)
    )
    successor = Unit.objects.get(pk=tree["commune_b"].pk)
    moved = row(task, successor)
    assert (moved.unit_path, moved.version) == (successor.path, 2)
    assert row(done_task, tree["commune_a"]).completed_on == D(2021, 12, 10)
    # The successor already had the shared task: the untouched duplicate does not linger.
    assert list(Assignment.objects.filter(task=shared).values_list("unit_id", flat=True)) == [
        successor.pk
    ]
    assert ChangeLogEntry.objects.filter(action="tracking.handover").count() == 1
    assert ChangeLogEntry.objects.filter(action="tracking.handover_merged").count() == 1


def test_move_rewrites_copied_paths_of_the_whole_subtree(tree):
    task = one_off(central_plan(tree))
    assign_actions.assign(None, task, rule="kind", kind=UnitKind.CELL)
    assign_actions.assign(None, task, units=[tree["org_a"]])
    unit_actions.move_unit(None, tree["org_a"], new_parent=tree["commune_b"], date=D(2022, 5, 1))
    for unit in Unit.objects.filter(code__in=["G-a", "CB-a", "CB-b"]):
        assert row(task, unit).unit_path == unit.path
    org = Unit.objects.get(code="G-a")
    assert org.path.startswith(Unit.objects.get(code="C-b").path)


def test_merge_folds_a_started_duplicate_into_the_successors_share(tree):
    """Reports of the closing unit move onto the successor's row; nothing stays open behind."""
    plan = central_plan(tree)
    shared = one_off(plan, "năm 2022")
    assign_actions.assign(None, shared, units=[tree["commune_a"], tree["commune_b"]])
    started = row(shared, tree["commune_a"])
    report = report_actions.report_progress(
        None, started, reported_on=D(2022, 1, 10), percent=40, done=False, narrative="Đang làm"
    )
    unit_actions.merge_units(
        None, units=[tree["commune_a"]], into=tree["commune_b"], date=D(2022, 2, 1)
    )
    rows = Assignment.objects.filter(task=shared)
    assert list(rows.values_list("unit_id", flat=True)) == [tree["commune_b"].pk]
    kept = rows.get()
    assert (kept.started_on, kept.percent) == (D(2022, 1, 10), 40)
    assert list(kept.reports.values_list("pk", flat=True)) == [report.pk]
    entry = ChangeLogEntry.objects.get(action="tracking.handover_merged")
    assert entry.before["unit_id"] == tree["commune_a"].pk and entry.after["merged_into"] == kept.pk


def test_move_rewrites_the_assigning_units_path_on_waiting_reports(tree):
    """The review queue reads the assigning unit's path copied onto each report: after the
    grassroots organisation moves to another commune, its waiting report is in that commune's
    coordinator's queue and no longer in the former one's."""
    plan = plan_actions.register_plan(None, doc(tree["org_a"], issuer="ĐU"), implements=kl21(tree))
    task = one_off(plan)
    assign_actions.assign(None, task, units=[tree["cell_a"]])
    a = Assignment.objects.get(task=task)
    report = report_actions.report_progress(
        None, a, reported_on=D(2022, 2, 1), percent=30, done=False
    )
    assert report.assigner_path == tree["org_a"].path
    old_commune = factories.user("q-old", (Role.COORDINATOR, tree["commune_a"]))
    new_commune = factories.user("q-new", (Role.COORDINATOR, tree["commune_b"]))
    assert (waiting_count(old_commune), waiting_count(new_commune)) == (1, 0)
    unit_actions.move_unit(None, tree["org_a"], new_parent=tree["commune_b"], date=D(2022, 5, 1))
    report.refresh_from_db()
    assert report.assigner_path == Unit.objects.get(pk=tree["org_a"].pk).path
    assert (waiting_count(old_commune), waiting_count(new_commune)) == (0, 1)
