"""Issuing a whole plan in one action: numbering proposal, multi-kind rule, all or nothing,
per-row refusals, scope; and the guided flow's pages."""

import datetime

import pytest

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.models import ChangeLogEntry
from trienkhai.documents.actions import register_document
from trienkhai.documents.models import DocType, Document
from trienkhai.documents.sequence import propose_number
from trienkhai.tracking.actions.issue import PlanRefused, Rule, TaskRow, issue_plan
from trienkhai.tracking.issue_forms import parse_paste
from trienkhai.tracking.models import Assignment, Plan, Task
from trienkhai.tree.kinds import COMMUNE_LEVEL, UnitKind

pytestmark = pytest.mark.django_db

COMMUNE_RULE = Rule("kind", kinds=tuple(sorted(COMMUNE_LEVEL)))
DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def world():
    return build_world()


def build_world():
    """A province with a xã, a phường, a đặc khu and Xã Tuy Phong; the directive; the province's
    05-KH/TU of the XVII term; its coordinator."""
    t = factories.small_tree()
    prov = t["prov_a"]
    t["ward"] = factories.unit(prov, UnitKind.WARD, "Phường Phú Thủy", "W-a")
    t["zone"] = factories.unit(prov, UnitKind.SPECIAL_ZONE, "Đặc khu Phú Quý", "Z-a")
    t["tuyphong"] = factories.unit(prov, UnitKind.COMMUNE, "Xã Tuy Phong", "C-tp")
    t["directive"] = register_document(
        None,
        symbol="21-KL/TW",
        doc_type=DocType.CONCLUSION,
        issuing_unit=t["root"],
        term="XIII",
        date=datetime.date(2021, 10, 25),
        subject="Về đẩy mạnh xây dựng, chỉnh đốn Đảng",
    )
    register_document(
        None,
        symbol="05-KH/TU",
        doc_type=DocType.PLAN,
        issuing_unit=prov,
        term="XVII",
        date=datetime.date(2025, 12, 20),
        subject="Kế hoạch trước",
    )
    t["coordinator"] = factories.user("bithu-an", (Role.COORDINATOR, prov))
    return t


def rows(world, n=5, rule=COMMUNE_RULE, overrides=None):
    out = []
    for i in range(1, n + 1):
        row = {
            "line": i,
            "title": f"Nhiệm vụ {i}",
            "lead_unit": world["prov_a"],
            "deadline_text": "quý III/2026",
            "rule": rule,
        }
        row.update((overrides or {}).get(i, {}))
        out.append(TaskRow(**row))
    return out


def issue(world, task_rows, **kw):
    args = {
        "implements": world["directive"],
        "issuing_unit": world["prov_a"],
        "doc_type": DocType.PLAN,
        "symbol": "06-KH/TU",
        "term": "XVII",
        "date": DAY,
        "subject": "Kế hoạch thực hiện Kết luận 21",
        "rows": task_rows,
    }
    args.update(kw)
    return issue_plan(world["coordinator"], **args)


def counts():
    return (
        Document.objects.count(),
        Plan.objects.count(),
        Task.objects.count(),
        Assignment.objects.count(),
        ChangeLogEntry.objects.count(),
    )


def test_number_proposed_next_in_the_units_sequence_for_the_term(world):
    proposal = propose_number(world["prov_a"], DocType.PLAN, DAY)
    assert (proposal.symbol, proposal.term) == ("06-KH/TU", "XVII")
    assert propose_number(world["prov_a"], DocType.ACTION_PROGRAMME, DAY).symbol == "01-CTr/TU"
    # A unit with no document yet: number 01, no issuer code to print it with.
    fresh = propose_number(world["commune_b"], DocType.PLAN, DAY)
    assert (fresh.number, fresh.symbol, fresh.term) == ("01", "", "")


def test_every_commune_level_unit_in_one_pass(world):
    outcome = issue(world, rows(world, 5))
    plan = outcome.plan
    assert plan.document.symbol == "06-KH/TU" and plan.directive_id == world["directive"].pk
    assert plan.tasks.count() == 5
    first = outcome.tasks[0]
    assert first.by_kind == {"commune": 2, "ward": 1, "special_zone": 1}
    units = set(Assignment.objects.filter(task=first.task).values_list("unit__code", flat=True))
    assert units == {"C-a", "C-tp", "W-a", "Z-a"}  # xã, phường, đặc khu: not the other province
    assert Assignment.objects.filter(task__plan=plan).count() == 5 * 4
    assert outcome.by_kind == {"commune": 10, "ward": 5, "special_zone": 5}


def test_obligation_to_issue_own_plan_is_a_requires_plan_task(world):
    from trienkhai.tracking.actions.issue import obligation_row

    task_rows = rows(world, 1)
    task_rows.append(
        obligation_row(2, "06-KH/TU", datetime.date(2026, 4, 30), world["prov_a"], COMMUNE_RULE)
    )
    outcome = issue(world, task_rows)
    obligation = outcome.plan.tasks.get(requires_plan=True)
    assert obligation.deadline == datetime.date(2026, 4, 30)
    assert "06-KH/TU" in obligation.title
    assert Assignment.objects.filter(task=obligation, requires_plan=True).count() == 4


def test_dry_run_counts_and_writes_nothing(world):
    before = counts()
    outcome = issue(world, rows(world, 3), dry_run=True)
    assert [t.units for t in outcome.tasks] == [4, 4, 4]
    assert outcome.plan is None and counts() == before


def test_one_bad_row_refuses_everything_with_each_rows_error(world):
    before = counts()
    bad = rows(
        world,
        5,
        overrides={
            2: {"deadline_text": "quý V/2026"},
            4: {"title": "   "},
            5: {"rule": Rule("kind", kinds=())},
        },
    )
    with pytest.raises(PlanRefused) as refused:
        issue(world, bad)
    errors = {(e.line, e.field) for e in refused.value.errors}
    assert errors == {(2, "deadline_text"), (4, "title"), (5, "kind")}
    assert any("quý V/2026" in e.message for e in refused.value.errors)
    assert counts() == before


def test_number_taken_is_refused_on_the_document(world):
    before = counts()
    with pytest.raises(PlanRefused) as refused:
        issue(world, rows(world, 2), symbol="05-KH/TU")
    [error] = refused.value.errors
    assert (error.line, error.field) == (None, "symbol")
    assert counts() == before


def test_no_rows_is_refused(world):
    with pytest.raises(PlanRefused):
        issue(world, [])
    assert not Plan.objects.exists()


def test_units_outside_the_plan_units_reach_are_refused(world):
    before = counts()
    outside = rows(
        world,
        2,
        overrides={
            1: {"rule": Rule("units", units=(world["commune_b"],))},
            2: {"lead_unit": world["prov_b"]},
        },
    )
    with pytest.raises(PlanRefused) as refused:
        issue(world, outside)
    assert {(e.line, e.field) for e in refused.value.errors} == {(1, "units"), (2, "lead_unit")}
    assert counts() == before


def test_an_issuing_unit_the_actor_does_not_coordinate_is_refused(world):
    with pytest.raises(PlanRefused):
        issue(world, rows(world, 1), issuing_unit=world["prov_b"], symbol="01-KH/TU")
    assert not Plan.objects.exists()


def test_paste_reads_tab_separated_rows_and_skips_a_heading():
    text = (
        "Nội dung\tChủ trì\tPhối hợp\tThời hạn\tSản phẩm\tChỉ tiêu\n"
        "Quán triệt\tTỉnh An\tXã a; Xã Tuy Phong\tquý III/2026\tBáo cáo\t100 %\n"
        "\n"
        "Chỉ nội dung\n"
    )
    assert parse_paste(text) == [
        {
            "title": "Quán triệt",
            "lead_unit": "Tỉnh An",
            "cooperating": "Xã a; Xã Tuy Phong",
            "deadline_text": "quý III/2026",
            "deliverable": "Báo cáo",
            "target": "100 %",
        },
        {"title": "Chỉ nội dung"},
    ]
