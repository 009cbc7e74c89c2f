"""Recording and editing conferences: totals, change log, validation, scope, stale edits, paths."""

import datetime

import pytest

from trienkhai.conferences import actions
from trienkhai.conferences.models import Attendance, Conference, ConnectionPoints
from trienkhai.conferences.tests.conftest import values
from trienkhai.conferences.timing import Timing, participation_rate, rate_text, timing_of
from trienkhai.core.actions import ActionError, PermissionRefused
from trienkhai.core.models import ChangeLogEntry
from trienkhai.units import actions as unit_actions

D = datetime.date


def test_record_stores_rows_totals_and_log(world):
    c = actions.record_conference(world["coord_a"], **values(world))
    assert (c.total_points, c.total_attendees) == (237, 15_500)
    assert c.host_path == world["prov_a"].path
    assert sorted(c.documents.values_list("symbol", flat=True)) == ["01-KH/TU", "21-KL/TW"]
    assert ConnectionPoints.objects.filter(conference=c).count() == 2
    assert Attendance.objects.filter(conference=c).count() == 2
    entry = ChangeLogEntry.objects.get(action="conferences.record")
    assert entry.user == world["coord_a"] and entry.unit == world["prov_a"]
    assert entry.after["total_points"] == 237 and entry.after["points"][1] == ["Cấp xã", 236]
    assert timing_of(c.date, c.deadline) == Timing.ON_TIME


def test_participation_rate_reads_like_the_seed():
    assert rate_text(participation_rate(15_380, 15_003)) == "97,55%"
    assert rate_text(participation_rate(200, 200)) == "100%"
    assert participation_rate(None, 10) is None and rate_text(None) == ""


def test_timing_rule():
    assert timing_of(D(2022, 3, 31), D(2022, 3, 31)) == Timing.ON_TIME
    assert timing_of(D(2022, 4, 1), D(2022, 3, 31)) == Timing.LATE
    assert timing_of(D(2022, 4, 1), None) == Timing.NO_DEADLINE


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"points": [("Cấp xã", -1)]}, "points"),
        ({"attendance": [("Cấp xã", "party_members", -5)]}, "attendance"),
        ({"members_expected": -1}, "members_expected"),
        ({"non_member_attendances": -3}, "non_member_attendances"),
        ({"members_expected": 100, "members_attending": 101}, "members_attending"),
        ({"points": [("Cấp xã", 1), ("cap xa", 2)]}, "points"),
        ({"points": [("", 4)]}, "points"),
        ({"attendance": [("Cấp xã", "nobody", 4)]}, "attendance"),
        ({"points": [("Cấp xã", 1.5)]}, "points"),
        ({"date": "15/01/2022"}, "date"),
        ({"date": D(2099, 1, 1)}, "date"),
        ({"date": D(2019, 12, 31)}, "date"),  # the province's validity starts in 2020
        ({"title": "  "}, "title"),
        ({"format": "radio"}, "format"),
        ({"documents": []}, "documents"),
        ({"date": D(2021, 11, 1)}, "documents"),  # 01-KH/TU is dated 1/12/2021
    ],
)
def test_bad_input_is_refused_and_changes_nothing(world, over, field):
    with pytest.raises(ActionError) as exc:
        actions.record_conference(world["coord_a"], **values(world, **over))
    assert exc.value.field == field
    assert str(exc.value.message)
    assert not Conference.objects.exists()
    assert not ChangeLogEntry.objects.filter(action__startswith="conferences.").exists()


def test_another_province_is_refused(world):
    with pytest.raises(PermissionRefused):
        actions.record_conference(world["coord_b"], **values(world))
    with pytest.raises(PermissionRefused):
        actions.record_conference(world["viewer_a"], **values(world))


def test_a_document_the_actor_cannot_read_is_refused(world):
    with pytest.raises(ActionError) as exc:
        actions.record_conference(
            world["coord_a"], **values(world, documents=[world["kl21"], world["kh_b"]])
        )
    assert exc.value.field == "documents"


def test_a_commune_reporter_records_its_own(world):
    c = actions.record_conference(
        world["reporter_c"], **values(world, host=world["commune_a"], documents=[world["kl21"]])
    )
    assert c.host == world["commune_a"]
    with pytest.raises(PermissionRefused):
        actions.record_conference(
            world["reporter_c"],
            **values(world, host=world["commune_a2"], documents=[world["kl21"]]),
        )


def test_host_closed_on_the_date_is_refused(world):
    unit_actions.dissolve_unit(None, world["commune_a3"], date=D(2021, 12, 31))
    world["commune_a3"].refresh_from_db()
    with pytest.raises(ActionError) as exc:
        actions.record_conference(
            None, **values(world, host=world["commune_a3"], documents=[world["kl21"]])
        )
    assert exc.value.field == "date"
    c = actions.record_conference(
        None,
        **values(world, host=world["commune_a3"], documents=[world["kl21"]], date=D(2021, 12, 1)),
    )
    assert c.pk


def test_deadline_from_an_assignment_of_the_host(world):
    from trienkhai.tracking.actions import assign as assign_actions
    from trienkhai.tracking.actions import plans as plan_actions

    plan_doc = world["kh_a"]
    plan = plan_actions.register_plan(None, plan_doc, implements=world["kl21"])
    task = plan_actions.add_task(
        None,
        plan,
        title="Học tập, quán triệt",
        lead_unit=world["prov_a"],
        deadline_text="31/1/2022",
    )
    assign_actions.assign(None, task, units=[world["commune_a"], world["commune_a2"]], rule="units")
    mine = task.assignments.get(unit=world["commune_a"])
    other = task.assignments.get(unit=world["commune_a2"])
    late = actions.record_conference(
        None,
        **values(
            world,
            host=world["commune_a"],
            documents=[world["kl21"]],
            deadline=None,
            deadline_assignment=mine,
        ),
    )
    assert late.deadline == D(2022, 1, 31) and late.deadline_assignment == mine
    assert timing_of(late.date, late.deadline) == Timing.ON_TIME
    with pytest.raises(ActionError) as exc:
        actions.record_conference(
            None,
            **values(
                world, host=world["commune_a"], documents=[world["kl21"]], deadline_assignment=other
            ),
        )
    assert exc.value.field == "deadline_assignment"


def test_update_bumps_version_logs_and_refuses_stale(world):
    c = actions.record_conference(world["coord_a"], **values(world))
    c2 = actions.update_conference(
        world["coord_a"], c, expected_version=1, points=[("Cấp tỉnh", 240)], note="Sửa số liệu"
    )
    assert (c2.version, c2.total_points, c2.total_attendees) == (2, 240, 15_500)
    assert c2.documents.count() == 2
    entry = ChangeLogEntry.objects.get(action="conferences.update")
    assert entry.before["total_points"] == 237 and entry.after["total_points"] == 240
    with pytest.raises(actions.StaleEdit) as exc:
        actions.update_conference(world["coord_a"], c, expected_version=1, title="Cũ")
    assert exc.value.current["version"] == 2 and exc.value.current["total_points"] == 240
    c.refresh_from_db()
    assert c.title == "Hội nghị học tập, quán triệt Kết luận 21"
    with pytest.raises(ActionError):
        actions.update_conference(world["coord_a"], c, expected_version=2, members_attending=99_999)
    with pytest.raises(PermissionRefused):
        actions.update_conference(world["coord_b"], c, expected_version=2, title="X")


def test_moving_a_subtree_rewrites_host_paths(world):
    c = actions.record_conference(
        None, **values(world, host=world["commune_a"], documents=[world["kl21"]])
    )
    unit_actions.move_unit(None, world["commune_a"], new_parent=world["prov_b"], date=D(2022, 6, 1))
    world["commune_a"].refresh_from_db()
    c.refresh_from_db()
    assert c.host_path == world["commune_a"].path
    assert c.host_path.startswith(world["prov_b"].path)
