"""The demo inspections load through the actions on top of the real demo data set: ensure_demo
loads them after the 2025 reorganisation, so the Bình Thuận story must stay coherent with it."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from trienkhai.core.models import ChangeLogEntry
from trienkhai.demo.loader import ensure_demo
from trienkhai.evaluations.flags import flags_for
from trienkhai.inspections.demo import TEAM_1355, load_demo
from trienkhai.inspections.models import (
    Inspection,
    RemediationReport,
    RemediationRequest,
    RequestState,
    State,
)
from trienkhai.inspections.queries import overdue_q, visible_inspections
from trienkhai.units.models import Unit

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_demo()  # loads the inspections too (demo.loader._load_apps)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_loaded, db):
    return {u.username: u for u in get_user_model().objects.all()}


def test_binh_thuan_1355(demo):
    inspection = Inspection.objects.get(team_name=TEAM_1355)
    assert (inspection.work_from, inspection.work_to) == (D(2024, 9, 26), D(2024, 11, 14))
    assert inspection.year == 2024
    assert inspection.note.startswith("Đoàn làm việc từ ngày 26/9 đến ngày 14/11/2024")
    assert inspection.notice.symbol == "148-TB/TW"
    assert inspection.notice.date == inspection.concluded_on == D(2024, 12, 20)
    assert inspection.decision.date == D(2024, 9, 12)
    assert set(inspection.parts.values_list("self_reports__submitted_on__year", flat=True)) == {
        2024
    }
    assert inspection.parts.count() == 6
    assert inspection.state == State.REMEDIATION
    reqs = RemediationRequest.objects.filter(inspection=inspection)
    closed = reqs.get(state=RequestState.CLOSED)
    assert closed.owner.code == "BTH" and closed.closed_on < D(2025, 7, 1)
    assert closed.evaluations.get().effective is True
    sent_back = reqs.get(evaluations__effective=False)
    assert sent_back.evaluations.get().evaluated_on < D(2025, 7, 1)
    open_reqs = reqs.exclude(state=RequestState.CLOSED)
    # Bình Thuận merged into Lâm Đồng on 1/7/2025: its open requests moved with its work.
    assert set(open_reqs.values_list("owner__code", flat=True)) == {"LDG"}
    assert reqs.filter(overdue_q(D(2026, 1, 1))).count() == 3
    assert ChangeLogEntry.objects.filter(action="inspections.handover").count() >= 3


def test_binh_thuan_acts_only_before_the_merge(demo):
    """Everything the province did is dated before its closure; later work is Lâm Đồng's."""
    bth = Unit.objects.get(code="BTH")
    assert bth.valid_to == D(2025, 7, 1)
    inspection = Inspection.objects.get(team_name=TEAM_1355)
    reports = RemediationReport.objects.filter(request__inspection=inspection)
    assert reports.filter(reported_on__lt=bth.valid_to).count() == 2
    late = reports.get(reported_on__gte=bth.valid_to)
    assert late.request.owner.code == "LDG" and late.request.state == RequestState.REPORTED
    reqs = RemediationRequest.objects.filter(inspection=inspection)
    assert not reqs.filter(started_on__gte=bth.valid_to).exclude(owner__code="LDG").exists()
    assert reqs.filter(started_on__gte=bth.valid_to, owner__code="LDG").count() == 1
    ids = [str(pk) for pk in reqs.values_list("pk", flat=True)]
    plans = ChangeLogEntry.objects.filter(action="inspections.action_plan", object_id__in=ids)
    assert {e.unit.code for e in plans if e.after["date"] >= "2025-07-01"} == {"LDG"}
    assert {e.unit.code for e in plans if e.after["date"] < "2025-07-01"} == {"BTH"}


def test_long_an(demo):
    central = Inspection.objects.get(team_name="Đoàn kiểm tra của Ban Bí thư tại Long An")
    assert central.work_to == D(2019, 7, 19)
    assert central.parts.get().recommendations.count() == 3
    teams = Inspection.objects.filter(unit__code="LAN", work_from__month=3, year=2019)
    assert teams.count() == 4 and set(teams.values_list("state", flat=True)) == {State.CLOSED}


def test_scope_and_flags(demo):
    # The six historic inspections and the three of the current cycle (demo.current).
    assert visible_inspections(demo["kiemtra"]).count() == 9
    # Quảng Ninh is inspected only in the current cycle's central supervision.
    seen = visible_inspections(demo["quangninh"])
    assert list(seen.values_list("unit__code", "state")) == [("TW", State.ANNOUNCED)]
    lam_dong = Unit.objects.get(code="LDG")
    flags = flags_for([lam_dong.pk], 2025, D(2025, 12, 31))
    assert [f.count for f in flags[lam_dong.pk] if f.kind == "open_remediation"] == [3]


def test_loading_twice_adds_nothing(demo):
    n = ChangeLogEntry.objects.count()
    assert load_demo() is False
    assert ChangeLogEntry.objects.count() == n
