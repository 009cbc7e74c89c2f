"""Inspection actions: every step, and the refusals that keep the procedure honest."""

import datetime

import pytest

from trienkhai.core.actions import ActionError, PermissionRefused, StaleEdit
from trienkhai.core.models import ChangeLogEntry
from trienkhai.documents.models import DocType
from trienkhai.inspections.actions import conclusions as conclusion_actions
from trienkhai.inspections.actions import inspections as inspection_actions
from trienkhai.inspections.actions import remediation as remediation_actions
from trienkhai.inspections.actions import steps as step_actions
from trienkhai.inspections.models import (
    FindingKind,
    Inspection,
    MemberRole,
    RemediationRequest,
    RequestState,
    SelfReport,
    State,
    StepLog,
)
from trienkhai.inspections.tests.conftest import new_inspection, register, to_concluded, upload

D = datetime.date


def test_full_path_to_verified_remediation(world):
    w = world
    inspection = new_inspection(w)
    assert inspection.state == State.PLANNED and inspection.year == 2024
    inspection_actions.add_member(
        w.inspector, inspection, name="Nguyễn Văn A", role=MemberRole.LEADER
    )
    inspection, parts = to_concluded(w, inspection)
    assert inspection.state == State.CONCLUDED
    assert inspection.concluded_on == D(2024, 10, 5)
    assert inspection.notice.symbol == "30-TB/TU"
    steps = list(StepLog.objects.filter(inspection=inspection).values_list("to_state", "date"))
    assert [s for s, _d in steps] == [
        State.PLANNED,
        State.DECIDED,
        State.ANNOUNCED,
        State.SELF_REPORTS,
        State.VERIFYING,
        State.CONCLUDED,
    ]
    assert steps[1][1] == D(2024, 8, 20)  # the decision's date by default
    part = parts[w.commune_a.pk]
    conclusion_actions.add_finding(
        w.inspector, part, kind=FindingKind.STRENGTH, text="Quán triệt kịp thời"
    )
    conclusion_actions.add_finding(
        w.inspector, part, kind=FindingKind.SHORTCOMING, text="Sinh hoạt chi bộ chưa đều"
    )
    req = conclusion_actions.add_request(
        w.inspector, part, text="Nâng cao chất lượng sinh hoạt chi bộ", deadline=D(2024, 12, 31)
    )
    assert req.owner == w.commune_a and req.issued_on == D(2024, 10, 5)
    inspection = step_actions.start_remediation(w.inspector, inspection, date=D(2024, 10, 6))

    req = remediation_actions.file_action_plan(w.commune_rep, req, text="Họp chi bộ hằng tháng")
    req = remediation_actions.start(w.commune_rep, req, date=D(2024, 10, 10))
    assert req.state == RequestState.IN_PROGRESS
    remediation_actions.report(
        w.commune_rep,
        req,
        reported_on=D(2024, 11, 20),
        text="Đã họp đủ",
        name="bien-ban.pdf",
        content=b"%PDF bien ban",
    )
    req.refresh_from_db()
    assert req.state == RequestState.REPORTED
    remediation_actions.evaluate(w.inspector, req, evaluated_on=D(2024, 11, 25), effective=True)
    req.refresh_from_db()
    req = remediation_actions.close(w.inspector, req, date=D(2024, 11, 26))
    assert req.state == RequestState.CLOSED and req.closed_on == D(2024, 11, 26)
    inspection = step_actions.close_inspection(w.inspector, inspection, date=D(2024, 11, 30))
    assert inspection.state == State.CLOSED
    logged = set(
        ChangeLogEntry.objects.filter(action__startswith="inspections.").values_list(
            "action", flat=True
        )
    )
    assert {"inspections.create", "inspections.step", "inspections.request_close"} <= logged
    assert ChangeLogEntry.objects.filter(action="inspections.step").count() == 7


def test_in_progress_needs_an_action_plan(world):
    inspection, parts = to_concluded(world, new_inspection(world))
    req = conclusion_actions.add_request(
        world.inspector, parts[world.commune_a.pk], text="Khắc phục", deadline=D(2024, 12, 31)
    )
    with pytest.raises(ActionError) as exc:
        remediation_actions.start(world.commune_rep, req, date=D(2024, 10, 10))
    assert exc.value.field == "action_plan"
    req.refresh_from_db()
    assert req.state == RequestState.OPEN and req.version == 1
    with pytest.raises(ActionError):  # nor report before starting
        remediation_actions.report(world.commune_rep, req, reported_on=D(2024, 10, 10), text="Xong")


def _reported(w):
    inspection, parts = to_concluded(w, new_inspection(w))
    req = conclusion_actions.add_request(
        w.inspector, parts[w.commune_a.pk], text="Khắc phục", deadline=D(2024, 12, 31)
    )
    req = remediation_actions.file_action_plan(w.commune_rep, req, text="Kế hoạch")
    req = remediation_actions.start(w.commune_rep, req, date=D(2024, 10, 10))
    remediation_actions.report(w.commune_rep, req, reported_on=D(2024, 11, 1), text="Đã làm")
    req.refresh_from_db()
    return req


def test_close_needs_an_effective_evaluation(world):
    req = _reported(world)
    with pytest.raises(ActionError):
        remediation_actions.close(world.inspector, req, date=D(2024, 11, 5))
    remediation_actions.evaluate(
        world.inspector, req, evaluated_on=D(2024, 11, 3), effective=False, note="Chưa đạt"
    )
    req.refresh_from_db()
    assert req.state == RequestState.IN_PROGRESS  # sent back to work
    with pytest.raises(ActionError):
        remediation_actions.close(world.inspector, req, date=D(2024, 11, 5))
    req.refresh_from_db()
    assert req.state == RequestState.IN_PROGRESS and req.closed_on is None


def test_ineffective_evaluation_needs_a_note(world):
    req = _reported(world)
    with pytest.raises(ActionError) as exc:
        remediation_actions.evaluate(
            world.inspector, req, evaluated_on=D(2024, 11, 3), effective=False
        )
    assert exc.value.field == "note"


def test_owner_side_cannot_evaluate_and_inspector_cannot_report(world):
    req = _reported(world)
    with pytest.raises(PermissionRefused):
        remediation_actions.evaluate(
            world.commune_rep, req, evaluated_on=D(2024, 11, 3), effective=True
        )
    with pytest.raises(PermissionRefused):
        remediation_actions.report(
            world.org_rep, req, reported_on=D(2024, 11, 3), text="Không phải việc tôi"
        )


def test_stale_version_is_refused(world):
    req = _reported(world)
    old = req.version
    remediation_actions.evaluate(world.inspector, req, evaluated_on=D(2024, 11, 3), effective=True)
    with pytest.raises(StaleEdit) as exc:
        remediation_actions.close(world.inspector, req, date=D(2024, 11, 5), expected_version=old)
    assert exc.value.current["version"] == old + 1
    req.refresh_from_db()
    assert req.state == RequestState.REPORTED


def test_self_report_for_another_unit_is_refused(world):
    w = world
    inspection = new_inspection(w)
    decision = register(w, inspection, DocType.DECISION, "15-QĐ/TU", D(2024, 8, 20))
    inspection = step_actions.decide(w.inspector, inspection, decision=decision)
    parts = {p.unit_id: p for p in inspection.parts.all()}
    with pytest.raises(ActionError):  # not announced yet
        upload(w, parts[w.commune_a.pk], w.commune_rep)
    inspection = step_actions.announce(w.inspector, inspection, date=D(2024, 9, 1))
    with pytest.raises(PermissionRefused):
        upload(w, parts[w.org_a.pk], w.commune_rep)
    assert not SelfReport.objects.exists()
    first = upload(w, parts[w.commune_a.pk], w.commune_rep)
    second = upload(w, parts[w.commune_a.pk], w.commune_rep, name="bao-cao-2.docx")
    assert (first.number, second.number) == (1, 2)
    assert parts[w.commune_a.pk].self_reports.count() == 2  # the earlier version is kept
    with pytest.raises(ActionError) as exc:  # the other unit has not reported yet
        step_actions.receive_self_reports(w.inspector, inspection, date=D(2024, 9, 12))
    assert w.org_a.name in str(exc.value.message)


def test_bad_file_type_is_refused(world):
    w = world
    inspection = new_inspection(w)
    decision = register(w, inspection, DocType.DECISION, "15-QĐ/TU", D(2024, 8, 20))
    inspection = step_actions.decide(w.inspector, inspection, decision=decision)
    inspection = step_actions.announce(w.inspector, inspection, date=D(2024, 9, 1))
    part = inspection.parts.get(unit=w.commune_a)
    with pytest.raises(ActionError):
        inspection_actions.upload_self_report(
            w.commune_rep, part, submitted_on=D(2024, 9, 5), name="x.html", content=b"<script>"
        )


def test_inspected_unit_outside_the_subtree_is_refused(world):
    w = world
    with pytest.raises(ActionError) as exc:
        new_inspection(w, inspected_units=[w.commune_a, w.commune_b])
    assert exc.value.field == "inspected_units"
    assert not Inspection.objects.exists()
    inspection = new_inspection(w)
    with pytest.raises(ActionError):
        inspection_actions.add_inspected_unit(
            w.inspector, inspection, w.prov_a
        )  # not itself either
    with pytest.raises(PermissionRefused):  # another province's inspector
        inspection_actions.add_inspected_unit(w.inspector_b, inspection, w.cell_a)


def test_other_province_cannot_create(world):
    with pytest.raises(PermissionRefused):
        inspection_actions.create_inspection(
            world.inspector_b,
            kind="thematic_inspection",
            unit=world.prov_a,
            title="X",
            inspected_units=[world.commune_a],
        )


def test_steps_in_order_and_dates_forward(world):
    w = world
    inspection = new_inspection(w)
    with pytest.raises(ActionError):  # cannot skip the decision
        step_actions.announce(w.inspector, inspection, date=D(2024, 9, 1))
    decision = register(w, inspection, DocType.DECISION, "15-QĐ/TU", D(2024, 8, 20))
    inspection = step_actions.decide(w.inspector, inspection, decision=decision)
    with pytest.raises(ActionError) as exc:
        step_actions.announce(w.inspector, inspection, date=D(2024, 8, 1))
    assert exc.value.field == "date"
    with pytest.raises(ActionError):
        step_actions.announce(w.inspector, inspection, date=D(2999, 1, 1))
    inspection.refresh_from_db()
    assert inspection.state == State.DECIDED


def test_decision_must_be_a_decision_of_the_inspecting_side(world):
    w = world
    inspection = new_inspection(w)
    with pytest.raises(ActionError) as exc:
        step_actions.decide(w.inspector, inspection, decision=w.directive)
    assert exc.value.field == "decision"


def test_close_inspection_waits_for_every_request(world):
    inspection, parts = to_concluded(world, new_inspection(world))
    conclusion_actions.add_request(
        world.inspector, parts[world.org_a.pk], text="Khắc phục", deadline=D(2024, 12, 31)
    )
    inspection = step_actions.start_remediation(world.inspector, inspection, date=D(2024, 10, 6))
    with pytest.raises(ActionError):
        step_actions.close_inspection(world.inspector, inspection, date=D(2024, 10, 7))


def test_request_owner_inside_the_inspected_unit(world):
    inspection, parts = to_concluded(world, new_inspection(world))
    with pytest.raises(ActionError) as exc:
        conclusion_actions.add_request(
            world.inspector,
            parts[world.org_a.pk],
            text="X",
            deadline=D(2024, 12, 31),
            owner=world.commune_b,
        )
    assert exc.value.field == "owner"
    req = conclusion_actions.add_request(
        world.inspector,
        parts[world.org_a.pk],
        text="X",
        deadline=D(2024, 12, 31),
        owner=world.cell_a,
    )
    assert req.owner == world.cell_a
    assert RemediationRequest.objects.count() == 1


def test_recommendation_upward_and_answer(world):
    inspection, parts = to_concluded(world, new_inspection(world))
    rec = conclusion_actions.add_recommendation(
        world.commune_rep, parts[world.commune_a.pk], text="Đề nghị tỉnh hướng dẫn thêm"
    )
    assert rec.addressed_to == world.prov_a
    with pytest.raises(PermissionRefused):
        conclusion_actions.respond_recommendation(
            world.commune_rep, rec, response="Tự trả lời", responded_on=D(2024, 10, 20)
        )
    rec = conclusion_actions.respond_recommendation(
        world.inspector, rec, response="Sẽ hướng dẫn", responded_on=D(2024, 10, 20)
    )
    assert rec.response == "Sẽ hướng dẫn"


def test_handover_moves_open_requests_to_the_successor(world):
    from trienkhai.units import actions as unit_actions

    inspection, parts = to_concluded(world, new_inspection(world))
    req = conclusion_actions.add_request(
        world.inspector, parts[world.org_a.pk], text="X", deadline=D(2024, 12, 31)
    )
    heir = unit_actions.create_unit(
        None,
        code="G-a2",
        name="Đảng bộ mới",
        kind="grassroots",
        parent=world.commune_a,
        valid_from=D(2020, 1, 1),
    )
    unit_actions.merge_units(None, units=[world.org_a], into=heir, date=D(2025, 1, 1))
    req.refresh_from_db()
    assert req.owner == heir and req.version == 2


def test_a_closed_unit_cannot_act_after_its_closure(world):
    """Dated remediation before the merge stays with the old unit; from the merge date on only
    the successor acts (history entered late stays coherent)."""
    from trienkhai.units import actions as unit_actions

    inspection, parts = to_concluded(world, new_inspection(world))
    req = conclusion_actions.add_request(
        world.inspector, parts[world.org_a.pk], text="X", deadline=D(2025, 6, 30)
    )
    heir = unit_actions.create_unit(
        None,
        code="G-a3",
        name="Đảng bộ kế thừa",
        kind="grassroots",
        parent=world.commune_a,
        valid_from=D(2020, 1, 1),
    )
    org_a = world.org_a
    unit_actions.merge_units(None, units=[org_a], into=heir, date=D(2025, 1, 1))
    org_a.refresh_from_db()
    # Recorded late: the request is put back on the closed unit to replay its history.
    RemediationRequest.objects.filter(pk=req.pk).update(owner=org_a)
    req.refresh_from_db()
    req = remediation_actions.file_action_plan(None, req, text="Kế hoạch", date=D(2024, 10, 20))
    req = remediation_actions.start(None, req, date=D(2024, 11, 1))
    with pytest.raises(ActionError) as exc:
        remediation_actions.report(None, req, reported_on=D(2025, 1, 1), text="Đã làm")
    assert exc.value.field == "reported_on" and "kế thừa" in str(exc.value)
    with pytest.raises(ActionError) as exc:
        remediation_actions.file_action_plan(None, req, text="Kế hoạch mới")  # today: long closed
    assert exc.value.field == "date"
    req.refresh_from_db()
    assert req.state == RequestState.IN_PROGRESS and req.reports.count() == 0
    assert req.action_plan == "Kế hoạch"
    from trienkhai.inspections.hooks import hand_over_requests
    from trienkhai.units.models import Reorganisation

    op = Reorganisation.objects.filter(links__predecessor=org_a).get()
    assert hand_over_requests(None, org_a, heir, op) == 1
    req.refresh_from_db()
    rep = remediation_actions.report(
        None, req, reported_on=D(2025, 1, 1), text="Đơn vị kế thừa báo cáo"
    )
    assert rep.request.owner == heir


def test_self_report_refused_after_the_unit_closed(world):
    from trienkhai.units import actions as unit_actions

    inspection = new_inspection(world)
    decision = register(world, inspection, DocType.DECISION, "16-QĐ/TU", D(2024, 8, 20))
    inspection = step_actions.decide(world.inspector, inspection, decision=decision)
    inspection = step_actions.announce(world.inspector, inspection, date=D(2024, 9, 1))
    part = inspection.parts.get(unit=world.org_a)
    heir = unit_actions.create_unit(
        None,
        code="G-a4",
        name="Đảng bộ kế thừa",
        kind="grassroots",
        parent=world.commune_a,
        valid_from=D(2020, 1, 1),
    )
    unit_actions.merge_units(None, units=[world.org_a], into=heir, date=D(2024, 9, 5))
    with pytest.raises(ActionError) as exc:
        upload(world, part, None, day=D(2024, 9, 6))
    assert exc.value.field == "submitted_on"
    assert not SelfReport.objects.filter(part=part).exists()
    assert upload(world, part, None, day=D(2024, 9, 4)).number == 1
