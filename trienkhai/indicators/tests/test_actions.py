import datetime
from decimal import Decimal as Dec

import pytest

from trienkhai.core.actions import ActionError, PermissionRefused, StaleEdit
from trienkhai.core.models import ChangeLogEntry
from trienkhai.indicators import actions, queries, risk
from trienkhai.indicators.models import Rollup, Target, Value

JULY = datetime.date(2026, 7, 15)


def _report(w, unit, indicator, period, value, actor=None):
    return actions.report_value(actor, indicator, unit, period, value, today=JULY)


def test_report_value_rolls_up_to_every_ancestor_and_is_logged(world):
    w = world
    v = actions.report_value(w["reporter_c"], w["count"], w["commune_a"], 1, "1.200", today=JULY)
    assert v.value == Dec(1200) and v.unit_path == w["commune_a"].path
    _report(w, w["commune_a2"], w["count"], 1, 300)
    prov = Rollup.objects.get(indicator=w["count"], unit=w["prov_a"], period=1)
    assert (prov.total, prov.reporting) == (Dec(1500), 2)
    # the set belongs to the province: its ancestors are kept too (the centre's subtree)
    assert Rollup.objects.get(indicator=w["count"], unit=w["root"], period=1).total == Dec(1500)
    entry = ChangeLogEntry.objects.filter(action="indicators.report").order_by("id").first()
    assert entry.user_name == "reporter-c" and entry.unit_id == w["commune_a"].pk
    # a correction moves the totals by the difference, not by the new value
    actions.report_value(
        w["reporter_c"], w["count"], w["commune_a"], 1, 1000, expected_version=1, today=JULY
    )
    prov.refresh_from_db()
    assert (prov.total, prov.reporting) == (Dec(1300), 2)


def test_report_refusals_change_nothing(world):
    w = world
    with pytest.raises(PermissionRefused):
        actions.report_value(w["reporter_c"], w["count"], w["commune_a2"], 1, 5, today=JULY)
    with pytest.raises(ActionError, match="chưa bắt đầu"):
        _report(w, w["commune_a"], w["count"], 8, 5)
    with pytest.raises(ActionError, match="không phải là số"):
        _report(w, w["commune_a"], w["count"], 1, "năm")
    with pytest.raises(ActionError, match="âm"):
        _report(w, w["commune_a"], w["count"], 1, "-3")
    with pytest.raises(ActionError, match="100%"):
        _report(w, w["commune_a"], w["rate"], 1, "120")
    with pytest.raises(ActionError, match="không thuộc"):
        _report(w, w["commune_b"], w["count"], 1, 5)
    with pytest.raises(ActionError, match="Kỳ báo cáo"):
        _report(w, w["commune_a"], w["count"], 13, 5)
    assert not Value.objects.exists() and not Rollup.objects.exists()
    assert not ChangeLogEntry.objects.filter(action="indicators.report").exists()


def test_a_stale_version_is_refused(world):
    w = world
    _report(w, w["commune_a"], w["count"], 1, 10)
    _report(w, w["commune_a"], w["count"], 1, 11)
    with pytest.raises(StaleEdit):
        actions.report_value(
            None, w["count"], w["commune_a"], 1, 12, expected_version=1, today=JULY
        )
    assert Value.objects.get().value == Dec(11)


def test_cascade_even_weight_manual(world):
    w = world
    actions.set_target(w["coord_a"], w["count"], w["prov_a"], 300)
    ts = actions.cascade(w["coord_a"], w["count"], w["prov_a"], method="even")
    assert sorted(t.value for t in ts) == [Dec(100)] * 3
    kids = list(actions.cascade_children(w["prov_a"]))
    weights = {kids[0].pk: 1, kids[1].pk: 1, kids[2].pk: 4}
    actions.cascade(w["coord_a"], w["count"], w["prov_a"], method="weight", figures=weights)
    assert Target.objects.get(indicator=w["count"], unit=kids[2]).value == Dec(200)
    assert Target.objects.get(indicator=w["count"], unit=kids[2]).split == "weight"
    # a rate is copied, not divided
    actions.set_target(w["coord_a"], w["rate"], w["prov_a"], 80)
    actions.cascade(w["coord_a"], w["rate"], w["prov_a"], method="even")
    assert {
        t.value for t in Target.objects.filter(indicator=w["rate"], unit__parent=w["prov_a"])
    } == {Dec(80)}
    manual = {k.pk: 10 * (i + 1) for i, k in enumerate(kids)}
    actions.cascade(w["coord_a"], w["count"], w["prov_a"], method="manual", figures=manual)
    assert Target.objects.get(indicator=w["count"], unit=kids[1]).value == Dec(20)
    assert ChangeLogEntry.objects.filter(action="indicators.cascade").count() == 12


def test_cascade_refusals(world):
    w = world
    with pytest.raises(ActionError, match="chưa có chỉ tiêu"):
        actions.cascade(w["coord_a"], w["count"], w["prov_a"], method="even")
    with pytest.raises(PermissionRefused):
        actions.cascade(w["coord_b"], w["count"], w["prov_a"], method="even")
    kids = list(actions.cascade_children(w["prov_a"]))
    with pytest.raises(ActionError):
        actions.cascade(
            w["coord_a"], w["count"], w["prov_a"], method="manual", figures={kids[0].pk: 5}
        )
    assert not Target.objects.exists()


def test_panel_colours_by_child(world):
    w = world
    kids = list(actions.cascade_children(w["prov_a"]))
    actions.cascade(
        w["coord_a"], w["count"], w["prov_a"], method="manual", figures={k.pk: 120 for k in kids}
    )
    a, a2, a3 = w["commune_a"], w["commune_a2"], w["commune_a3"]
    for month in range(1, 7):
        _report(w, a, w["count"], month, 10)  # 10 a month: 120 by December → green
        _report(w, a2, w["count"], month, 9.5)  # 114 → within 10 % → orange
    _report(w, a3, w["count"], 1, 10)  # 20 → red
    lines = queries.child_lines(w["coord_a"], w["count"], w["prov_a"], JULY)
    colours = {line.unit.code: line.colour for line in lines}
    assert colours == {"C-a": risk.GREEN, "C-a2": risk.ORANGE, "C-a3": risk.RED}
    assert lines[0].unit.code == "C-a3"  # red first
    # the province has no target of its own: its line says so, its figures still add up
    (line,) = [
        ln
        for ln in queries.unit_lines(w["coord_a"], w["set"], w["prov_a"], JULY)
        if ln.indicator == w["count"]
    ]
    assert line.colour == risk.NO_TARGET and line.risk.so_far == Dec(127)


def test_rebuild_gives_the_rollup_the_actions_kept(world):
    w = world
    _report(w, w["commune_a"], w["count"], 1, 10)
    _report(w, w["commune_a2"], w["count"], 1, 5)
    _report(w, w["commune_a2"], w["rate"], 2, 50)
    kept = sorted(
        Rollup.objects.values_list("indicator_id", "unit_id", "period", "total", "reporting")
    )
    actions.rebuild_rollups(None, w["set"])
    assert (
        sorted(
            Rollup.objects.values_list("indicator_id", "unit_id", "period", "total", "reporting")
        )
        == kept
    )


def test_scope_a_unit_only_reporter_sees_own_values_only(world):
    w = world
    _report(w, w["commune_a"], w["count"], 1, 10)
    assert queries.get_visible_set(w["coord_b"], w["set"].pk) is None
    assert queries.get_visible_set(w["reporter_c"], w["set"].pk) is not None


def test_a_moved_unit_takes_its_paths_along(world):
    import datetime as dt

    from trienkhai.units.actions import move_unit

    w = world
    _report(w, w["commune_a2"], w["count"], 1, 5)
    actions.set_target(w["coord_a"], w["count"], w["commune_a2"], 50)
    move_unit(None, w["commune_a2"], new_parent=w["prov_b"], date=dt.date(2026, 7, 1))
    w["commune_a2"].refresh_from_db()
    assert Value.objects.get(unit=w["commune_a2"]).unit_path == w["commune_a2"].path
    assert Target.objects.get(unit=w["commune_a2"]).unit_path == w["commune_a2"].path
