"""The figures a report computes: per child and in total, over the period and directives, a
rate recomputed from its counts, the reader's reach respected; and the facts' starting text."""

import datetime
from decimal import Decimal

import pytest

from tests.builders import bulk, factories
from trienkhai.accounts.models import Role
from trienkhai.conferences import actions as conference_actions
from trienkhai.documents.actions import register_document, relate
from trienkhai.documents.models import DocType
from trienkhai.reports import facts, figures
from trienkhai.tree.kinds import UnitKind

D = datetime.date
START, END = D(2022, 1, 1), D(2022, 12, 31)


@pytest.fixture
def w(tree):
    t = dict(tree)
    t["kl21"] = register_document(
        None, symbol="21-KL/TW", doc_type=DocType.CONCLUSION, issuing_unit=tree["root"],
        term="XIII", date=D(2021, 10, 25), subject="Về xây dựng, chỉnh đốn Đảng",
    )  # fmt: skip
    t["other"] = bulk.directive(tree["root"], date=D(2021, 5, 1))
    t["a2"] = factories.unit(tree["prov_a"], UnitKind.WARD, "Phường Hai", "W-a2")
    return t


def _tasks(w, directive, due, dates_by_unit):
    plan = bulk.plan(directive, w["root"])
    task, occ = bulk.task(plan, due=due)
    bulk.assign(task, occ, list(dates_by_unit), dates=lambda u: dates_by_unit[u])


def _obligations(w, directive, due, dates_by_unit):
    plan = bulk.plan(directive, w["root"])
    task, occ = bulk.task(plan, due=due, requires_plan=True)
    bulk.assign(task, occ, list(dates_by_unit), dates=lambda u: dates_by_unit[u])


def test_tasks_per_child_and_total_over_the_period(w):
    a, b, a2 = w["commune_a"], w["commune_b"], w["a2"]
    _tasks(w, w["kl21"], D(2022, 3, 31), {a: (None, D(2022, 3, 1)), a2: (None, D(2022, 4, 9)),
                                          b: (None, None)})  # fmt: skip
    _tasks(w, w["kl21"], D(2022, 6, 30), {a: (D(2022, 6, 1), None)})
    _tasks(w, w["kl21"], D(2023, 3, 31), {a: (None, None)})  # due after the period: not counted
    _tasks(w, w["other"], D(2022, 3, 31), {b: (None, D(2022, 1, 1))})  # another directive
    got = figures.compute(
        ["tasks_due", "tasks_on_time", "tasks_late", "tasks_overdue", "tasks_on_time_rate"],
        unit=w["root"], start=START, end=END, directives=[w["kl21"]],
    )  # fmt: skip
    pa, pb = w["prov_a"].pk, w["prov_b"].pk
    assert got["tasks_due"] == {"total": 4, "children": {pa: 3, pb: 1}}
    assert got["tasks_on_time"]["children"] == {pa: 1, pb: 0}
    assert got["tasks_late"]["total"] == 1 and got["tasks_overdue"]["total"] == 2
    # a rate from its counts: 1 on time of 4 decided (not the mean of 33,33 % and 0 %)
    assert got["tasks_on_time_rate"]["total"] == Decimal("25.00")
    assert got["tasks_on_time_rate"]["children"] == {pa: Decimal("33.33"), pb: Decimal("0.00")}
    # a province's report breaks down by its own children
    prov = figures.compute(
        ["tasks_due"], unit=w["prov_a"], start=START, end=END, directives=[w["kl21"]]
    )
    assert prov["tasks_due"] == {"total": 3, "children": {a.pk: 2, a2.pk: 1}}


def test_plan_coverage_counts_each_unit_once(w):
    a, b, a2 = w["commune_a"], w["commune_b"], w["a2"]
    _obligations(w, w["kl21"], D(2022, 3, 31), {a: (None, D(2022, 2, 1)), a2: (None, None),
                                                b: (None, D(2022, 5, 1))})  # fmt: skip
    _obligations(w, w["kl21"], D(2022, 6, 30), {a: (None, D(2022, 6, 1))})
    got = figures.compute(
        ["plan_units", "plan_units_met", "plan_coverage_rate"],
        unit=w["root"], start=START, end=END, directives=[w["kl21"]],
    )  # fmt: skip
    assert got["plan_units"]["total"] == 3 and got["plan_units_met"]["total"] == 2
    assert got["plan_coverage_rate"]["children"] == {
        w["prov_a"].pk: Decimal("50.00"),
        w["prov_b"].pk: Decimal("100.00"),
    }
    # as of an earlier end, b had not issued yet
    early = figures.compute(
        ["plan_units_met"], unit=w["root"], start=START, end=D(2022, 4, 30),
        directives=[w["kl21"]],
    )  # fmt: skip
    assert early["plan_units_met"]["total"] == 1


def test_a_plan_among_the_directives_counts_its_root_directive(w):
    kh = register_document(
        None, symbol="03-KH/TW", doc_type=DocType.PLAN, issuing_unit=w["root"], term="XIII",
        date=D(2021, 12, 1), subject="Kế hoạch thực hiện Kết luận 21",
    )  # fmt: skip
    relate(None, kh, w["kl21"], "implements")
    _tasks(w, w["kl21"], D(2022, 3, 31), {w["commune_a"]: (None, None)})
    got = figures.compute(["tasks_due"], unit=w["root"], start=START, end=END, directives=[kh])
    assert got["tasks_due"]["total"] == 1


def test_the_readers_reach_limits_every_count(w):
    _tasks(
        w, w["kl21"], D(2022, 3, 31), {w["commune_a"]: (None, None), w["commune_b"]: (None, None)}
    )
    viewer = factories.user("xem-a", (Role.VIEWER, w["prov_a"]))
    got = figures.compute(
        ["tasks_due"], unit=w["root"], start=START, end=END, directives=[w["kl21"]], user=viewer
    )
    assert got["tasks_due"] == {"total": 1, "children": {w["prov_a"].pk: 1}}


def test_conferences_and_their_facts_text(w):
    conference_actions.record_conference(
        None, host=w["prov_a"], date=D(2022, 1, 15), title="Hội nghị quán triệt Kết luận 21",
        format="online", documents=[w["kl21"]], points=[("Cấp tỉnh", 1), ("Cấp xã", 236)],
        attendance=[("Cấp xã", "party_members", 15_500)],
    )  # fmt: skip
    conference_actions.record_conference(
        None, host=w["commune_b"], date=D(2022, 2, 1), title="Hội nghị xã",
        format="in_person", documents=[w["kl21"], w["other"]], points=[("Cấp xã", 1)],
        attendance=[("Cấp xã", "party_members", 80)],
    )  # fmt: skip
    got = figures.compute(
        ["conferences_held", "conference_points", "conference_attendees"],
        unit=w["root"], start=START, end=END, directives=[w["kl21"], w["other"]],
    )  # fmt: skip
    # the second conference covers both directives and counts once
    assert got["conferences_held"]["total"] == 2
    assert got["conference_points"]["children"][w["prov_a"].pk] == 237
    assert got["conference_attendees"]["total"] == 15_580
    text = facts.text("conferences", unit=w["root"], start=START, end=END, directives=[w["kl21"]])
    assert "Tổ chức 2 hội nghị học tập, quán triệt với 238 điểm cầu, 15.580 lượt" in text
    assert "Tỉnh An ngày 15/01/2022 (237 điểm cầu, 15.500 người)" in text


def test_plans_facts_quote_the_plans_and_the_coverage(w):
    kh = register_document(
        None, symbol="05-KH/TU", doc_type=DocType.PLAN, issuing_unit=w["prov_a"], term="XVII",
        date=D(2021, 12, 20), subject="Kế hoạch của Tỉnh An",
    )  # fmt: skip
    relate(None, kh, w["kl21"], "implements")
    _obligations(w, w["kl21"], D(2022, 3, 31), {w["commune_a"]: (None, D(2022, 2, 1)),
                                                w["a2"]: (None, None)})  # fmt: skip
    text = facts.text("plans", unit=w["prov_a"], start=START, end=END, directives=[w["kl21"]])
    assert "Tỉnh An ban hành Kế hoạch số 05-KH/TU ngày 20/12/2021." in text
    assert "1/2 đơn vị (50%) đã ban hành kế hoạch thực hiện theo yêu cầu." in text
    overdue = facts.text("overdue", unit=w["prov_a"], start=START, end=END, directives=[w["kl21"]])
    assert "còn 1 nhiệm vụ quá hạn chưa hoàn thành" in overdue and "Phường Hai" in overdue
