"""Each inspection hand-off tells the other side: the inspected units' reporters, or the
inspecting side's inspectors; nobody else."""

import datetime

from django.utils import translation

from trienkhai.core.background.worker import run_pending
from trienkhai.inspections.actions import conclusions as conclusion_actions
from trienkhai.inspections.actions import remediation as remediation_actions
from trienkhai.inspections.tests.conftest import new_inspection, to_concluded
from trienkhai.notify.models import Notification

D = datetime.date


def _told(kind) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def test_an_inspection_tells_each_side_its_turn(world, django_capture_on_commit_callbacks):
    w = world
    with django_capture_on_commit_callbacks(execute=True):
        inspection, parts = to_concluded(w, new_inspection(w))
        req = conclusion_actions.add_request(
            w.inspector, parts[w.commune_a.pk], text="Sinh hoạt chi bộ", deadline=D(2024, 12, 31)
        )
        req = remediation_actions.file_action_plan(w.commune_rep, req, text="Họp hằng tháng")
        req = remediation_actions.start(w.commune_rep, req, date=D(2024, 10, 10))
        remediation_actions.report(w.commune_rep, req, reported_on=D(2024, 11, 1), text="Đã họp")
        req.refresh_from_db()
        remediation_actions.evaluate(
            w.inspector, req, evaluated_on=D(2024, 11, 3), effective=False, note="Chưa đều"
        )
    # announce, two self-reports, conclude, request, remediation reported, evaluated
    assert run_pending(limit=50) == 7
    assert _told("inspections.announced") == ["bc-db", "bc-xa"]
    assert _told("inspections.concluded") == ["bc-db", "bc-xa"]
    assert _told("inspections.self_report_received") == ["kt-a", "kt-a"]
    assert _told("inspections.remediation_requested") == ["bc-xa"]
    assert _told("inspections.remediation_reported") == ["kt-a"]
    assert _told("inspections.remediation_evaluated") == ["bc-xa"]
    assert not Notification.objects.filter(user__in=[w.viewer_b, w.inspector_b]).exists()
    n = Notification.objects.get(kind="inspections.remediation_evaluated")
    assert n.url == f"/inspections/requests/{req.pk}/"
    with translation.override("vi"):
        assert n.display_title.startswith("Khắc phục chưa hiệu quả, cần tiếp tục")
        assert n.display_body == "Yêu cầu: Sinh hoạt chi bộ. Nhận xét: Chưa đều"
    announced = Notification.objects.filter(kind="inspections.announced").first()
    assert announced.url == f"/inspections/{inspection.pk}/"
    with translation.override("vi"):
        assert "làm việc từ 01/09/2024 đến 30/09/2024" in announced.display_body


def test_remediation_due_and_overdue_are_told_once_each(world):
    from trienkhai.inspections import reminders

    w = world
    _inspection, parts = to_concluded(w, new_inspection(w))
    req = conclusion_actions.add_request(
        w.inspector, parts[w.commune_a.pk], text="Sinh hoạt chi bộ", deadline=D(2024, 12, 31)
    )
    assert reminders.remind(D(2024, 12, 1), days=7) == {"day": "2024-12-01", "due": 0, "overdue": 0}
    assert reminders.remind(D(2024, 12, 28), days=7)["due"] == 1
    assert reminders.remind(D(2024, 12, 29), days=7)["due"] == 0  # said once
    assert reminders.remind(D(2025, 1, 2), days=7) == {"day": "2025-01-02", "due": 0, "overdue": 1}
    assert reminders.remind(D(2025, 1, 3), days=7)["overdue"] == 0
    assert _told("inspections.remediation_due") == ["bc-xa"]
    assert _told("inspections.remediation_overdue") == ["bc-xa"]
    n = Notification.objects.get(kind="inspections.remediation_overdue")
    assert n.key == f"remediation-overdue:{req.pk}"
    with translation.override("vi"):
        assert n.display_title.startswith("Quá hạn khắc phục (hạn 31/12/2024)")
