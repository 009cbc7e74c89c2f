"""Numeric targets: split among units, set by hand, amounts reached (to date, accepted only)
and their roll-up up the tree ("30/50 (60 %)")."""

import datetime
import decimal

import pytest
from django.utils import translation

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.actions import ActionError, PermissionRefused, StaleEdit
from trienkhai.core.models import ChangeLogEntry
from trienkhai.tracking import queries
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import reports as report_actions
from trienkhai.tracking.actions import review as review_actions
from trienkhai.tracking.actions import targets as target_actions
from trienkhai.tracking.actions.targets import even_shares, parse_amount, weighted_shares
from trienkhai.tracking.models import Assignment, TargetAggregation
from trienkhai.tracking.tests.test_actions import central_plan, one_off

Dec = decimal.Decimal
D = datetime.date


@pytest.fixture
def task(tree):
    t = one_off(central_plan(tree), deadline="31/12/2099", target_value="50")
    t.target_unit = "đảng viên"
    t.save()
    units = [tree["commune_a"], tree["commune_b"], tree["org_a"]]
    assign_actions.assign(None, t, units=units, rule="units")
    return t


def _a(task, unit):
    return Assignment.objects.get(task=task, unit=unit)


def test_even_shares_add_up_exactly():
    assert even_shares(Dec(50), 3, TargetAggregation.SUM) == [17, 17, 16]
    assert sum(even_shares(Dec("10.01"), 3, TargetAggregation.SUM)) == Dec("10.01")
    assert even_shares(Dec(80), 3, TargetAggregation.AVERAGE) == [80, 80, 80]


def test_weighted_shares_follow_the_weights_and_add_up_exactly():
    # 50 by 120 : 300 : 80 members -> 12 / 30 / 8
    assert weighted_shares(Dec(50), [Dec(120), Dec(300), Dec(80)], "sum") == [12, 30, 8]
    # 10 by 1 : 1 : 1 -> the one left over goes to the first in tree order
    assert weighted_shares(Dec(10), [Dec(1), Dec(1), Dec(1)], "sum") == [4, 3, 3]
    # the largest fraction gets the remainder: 7 by 1 : 2 : 4 = 1 / 2 / 4
    assert weighted_shares(Dec(7), [Dec(1), Dec(2), Dec(4)], "sum") == [1, 2, 4]
    shares = weighted_shares(Dec("10.05"), [Dec(2), Dec(1), Dec(1)], "sum")
    assert sum(shares) == Dec("10.05") and shares[0] > shares[1]
    assert weighted_shares(Dec(80), [Dec(1), Dec(9)], "average") == [80, 80]
    with pytest.raises(ActionError, match="Tổng trọng số"):
        weighted_shares(Dec(50), [Dec(0), Dec(0)], "sum")


def test_split_by_weight_needs_every_units_weight(tree, task):
    occurrence = task.occurrences.get()
    a, b, org = (tree[k].pk for k in ("commune_a", "commune_b", "org_a"))
    with pytest.raises(ActionError, match="trọng số cho mọi đơn vị"):
        target_actions.split_target(None, task, occurrence=occurrence, weights={a: "1", b: "2"})
    with pytest.raises(ActionError):
        target_actions.split_target(
            None, task, occurrence=occurrence, weights={a: "1", b: "x", org: "1"}
        )
    assert not Assignment.objects.filter(target__isnull=False).exists()
    target_actions.split_target(
        None, task, occurrence=occurrence, weights={f"w{a}": "120", f"w{b}": "300", org: "80"}
    )
    shares = dict(Assignment.objects.values_list("unit_id", "target"))
    assert shares == {a: 12, b: 30, org: 8}


def test_the_task_page_splits_by_weight(client, tree, task):
    from django.urls import reverse

    coordinator = factories.user("coord-root", (Role.COORDINATOR, tree["root"]))
    client.force_login(coordinator)
    page = client.get(reverse("tracking-task", args=[task.pk])).content.decode()
    a, b, org = (tree[k].pk for k in ("commune_a", "commune_b", "org_a"))
    assert f'name="w{a}"' in page and "split-weights" in page
    occurrence = task.occurrences.get()
    url = reverse("tracking-target-split", args=[task.pk])
    data = {"period": occurrence.pk, "version": task.version, "method": "weight"}
    r = client.post(url, {**data, f"w{a}": "1", f"w{b}": "", f"w{org}": "1"}, follow=True)
    assert "Hãy nhập trọng số cho mọi đơn vị" in r.content.decode()
    assert not Assignment.objects.filter(target__isnull=False).exists()
    client.post(url, {**data, f"w{a}": "1", f"w{b}": "3", f"w{org}": "1"})
    assert dict(Assignment.objects.values_list("unit_id", "target")) == {a: 10, b: 30, org: 10}
    # a reader without the coordinator's role is offered no weights
    client.force_login(factories.user("viewer", (Role.VIEWER, tree["root"])))
    page = client.get(reverse("tracking-task", args=[task.pk])).content.decode()
    assert "split-weights" not in page


@pytest.mark.parametrize(
    ("text", "value"),
    [("50", Dec(50)), ("1.500", Dec(1500)), ("12,5", Dec("12.5")), ("1.234,5", Dec("1234.5"))],
)
def test_amounts_read_the_vietnamese_way(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize("text", ["abc", "-3", "1e30", "NaN"])
def test_bad_amounts_refused(text):
    with pytest.raises(ActionError):
        parse_amount(text)


def test_split_needs_the_coordinator_and_the_current_version(tree, task):
    occurrence = task.occurrences.get()
    reporter = factories.user("rep", (Role.REPORTER, tree["root"]))
    with pytest.raises(PermissionRefused):
        target_actions.split_target(reporter, task, occurrence=occurrence)
    with pytest.raises(StaleEdit):
        target_actions.split_target(None, task, occurrence=occurrence, expected_version=99)
    assert not Assignment.objects.filter(target__isnull=False).exists()
    n = target_actions.split_target(
        None, task, occurrence=occurrence, expected_version=task.version
    )
    assert n == 3
    assert sorted(Assignment.objects.values_list("target", flat=True)) == [16, 17, 17]
    assert ChangeLogEntry.objects.filter(action="tracking.set_target").count() == 3


def test_set_by_hand_checks_the_assignment_version(tree, task):
    a = _a(task, tree["commune_a"])
    target_actions.set_target(None, a, value="30", expected_version=a.version)
    a.refresh_from_db()
    assert a.target == 30
    with pytest.raises(StaleEdit):
        target_actions.set_target(None, a, value="40", expected_version=a.version - 1)
    a.refresh_from_db()
    assert a.target == 30


def test_amount_counts_once_accepted_and_is_to_date(tree, task):
    a = _a(task, tree["commune_a"])
    target_actions.set_target(None, a, value="50")
    r1 = report_actions.report_progress(
        None, a, reported_on=D(2024, 3, 1), percent=40, done=False, target_reached="20"
    )
    a.refresh_from_db()
    assert (a.reached, a.reached_pending) == (None, 20)
    report_actions.review_report(None, r1, accept=True)
    a.refresh_from_db()
    assert (a.reached, a.reached_pending) == (20, None)
    # A later figure is the figure to date, not added to the first one.
    r2 = report_actions.report_progress(
        None, a, reported_on=D(2024, 6, 1), percent=60, done=False, target_reached="30"
    )
    a.refresh_from_db()
    assert (a.reached, a.reached_pending) == (20, 30)
    review_actions.accept_reports(None, [r2.pk])
    a.refresh_from_db()
    assert (a.reached, a.reached_pending) == (30, None)
    r3 = report_actions.report_progress(
        None, a, reported_on=D(2024, 7, 1), percent=70, done=False, target_reached="45"
    )
    report_actions.review_report(None, r3, accept=False, reason="Số liệu chưa khớp")
    a.refresh_from_db()
    assert (a.reached, a.reached_pending) == (30, None)


def _report(a, amount, accept=True):
    r = report_actions.report_progress(
        None, a, reported_on=D(2024, 3, 1), percent=10, done=False, target_reached=amount
    )
    if accept:
        report_actions.review_report(None, r, accept=True)


def test_rollup_adds_up_the_tree_and_drills_down(tree, task):
    occurrence = task.occurrences.get()
    for unit, target in (("commune_a", 30), ("org_a", 20), ("commune_b", 50)):
        target_actions.set_target(None, _a(task, tree[unit]), value=target)
    _report(_a(task, tree["commune_a"]), "12")
    _report(_a(task, tree["org_a"]), "8")
    _report(_a(task, tree["commune_b"]), "10", accept=False)
    viewer = factories.user("v", (Role.VIEWER, tree["root"]))
    lines = queries.target_rollup(viewer, unit=tree["root"], task=task, occurrence=occurrence)
    by_name = {line.name: line for line in lines}
    prov_a, prov_b = by_name["Tỉnh An"], by_name["Tỉnh Bình"]
    assert (prov_a.target, prov_a.reached, prov_a.units, prov_a.reported) == (50, 20, 2, 2)
    assert (prov_b.target, prov_b.reached, prov_b.pending) == (50, 0, 10)
    total = queries.target_total(tree["root"], task, lines)
    assert (total.target, total.reached) == (100, 20)
    with translation.override("vi"):
        assert prov_a.text == "20/50 (40 %)"
        assert total.text == "20/100 (20 %)"
    # Drill down: the province's commune holds its own row and its organisation's.
    lines = queries.target_rollup(viewer, unit=tree["prov_a"], task=task, occurrence=occurrence)
    assert [(line.name, line.target, line.reached) for line in lines] == [("Xã a", 50, 20)]


def test_rollup_is_scoped(tree, task):
    occurrence = task.occurrences.get()
    for unit in ("commune_a", "commune_b"):
        target_actions.set_target(None, _a(task, tree[unit]), value=10)
    viewer_b = factories.user("vb", (Role.VIEWER, tree["prov_b"]))
    lines = queries.target_rollup(viewer_b, unit=tree["root"], task=task, occurrence=occurrence)
    assert [line.name for line in lines] == ["Tỉnh Bình"]


def test_average_is_weighted_by_units_not_children(tree, task):
    task.target_aggregation = TargetAggregation.AVERAGE
    task.target_value = Dec(80)
    task.save()
    occurrence = task.occurrences.get()
    target_actions.split_target(None, task, occurrence=occurrence)
    # Province A has two units (commune at 90, organisation at 60), province B one at 30.
    _report(_a(task, tree["commune_a"]), "90")
    _report(_a(task, tree["org_a"]), "60")
    _report(_a(task, tree["commune_b"]), "30")
    viewer = factories.user("v", (Role.VIEWER, tree["root"]))
    lines = queries.target_rollup(viewer, unit=tree["root"], task=task, occurrence=occurrence)
    total = queries.target_total(tree["root"], task, lines)
    assert {line.name: line.reached for line in lines} == {"Tỉnh An": 75, "Tỉnh Bình": 30}
    assert total.reached == 60  # (90 + 60 + 30) / 3, not (75 + 30) / 2
    assert total.target == 80
    with translation.override("vi"):
        assert total.text == "60/80 (75 %)"


def test_reached_text_formats():
    with translation.override("vi"):
        assert queries.reached_text(Dec(1500), Dec(2000)) == "1.500/2.000 (75 %)"
        assert queries.reached_text(Dec("12.5"), Dec(50)) == "12,5/50 (25 %)"
        assert queries.reached_text(None, Dec(3)) == "0/3 (0 %)"
        assert queries.reached_text(Dec(1), None) == "—"


@pytest.fixture
def reported(tree, task):
    target_actions.set_target(None, _a(task, tree["commune_a"]), value=30)
    target_actions.set_target(None, _a(task, tree["commune_b"]), value=20)
    _report(_a(task, tree["commune_a"]), "12")
    return task


def test_api_gives_the_figures_and_totals(tree, reported):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(factories.user("v", (Role.VIEWER, tree["root"])))
    answer = client.get(
        "/api/targets/", {"unit": tree["root"].pk, "task": reported.pk}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["total"]["target"] == "50.00"
    assert body["total"]["reached"] == "12.00"
    assert body["total"]["text"] == "12/50 (24 %)"
    assert {c["unit"]["code"]: c["text"] for c in body["children"]} == {
        "P-a": "12/30 (40 %)",
        "P-b": "0/20 (0 %)",
    }
    outsider = factories.user("o", (Role.VIEWER, tree["prov_b"]))
    client.force_authenticate(outsider)
    answer = client.get("/api/targets/", {"unit": tree["prov_a"].pk, "task": reported.pk})
    assert answer.status_code == 404
    answer = client.get("/api/targets/", {"unit": "x", "task": reported.pk})
    assert answer.status_code == 400


def test_pages_and_export_show_reached_against_target(client, tree, reported):
    import io

    from openpyxl import load_workbook

    client.force_login(factories.user("v", (Role.VIEWER, tree["root"])))
    page = client.get(f"/tracking/tasks/{reported.pk}/", HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200
    text = page.content.decode()
    assert "12/30 (40 %)" in text and "12/50 (24 %)" in text
    page = client.get("/tracking/", {"unit": tree["root"].pk})
    assert "12/30 (40 %)" in page.content.decode()
    assert f"unit={tree['prov_a'].pk}" in page.content.decode()
    export = client.get("/tracking/", {"unit": tree["root"].pk, "export": "targets"})
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert any(r[2] == "Tỉnh An" and r[4] == 30 and r[5] == 12 for r in rows), rows
    assert any(str(r[2]).startswith("Tổng") and r[4] == 50 for r in rows), rows
