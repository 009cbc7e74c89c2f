"""The demo data set: loads through the actions, is idempotent, and tells the 2025 story."""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from trienkhai.accounts.models import Clearance, Grant, Role
from trienkhai.accounts.scope import reaches_unit
from trienkhai.core.models import ChangeLogEntry
from trienkhai.demo.loader import DEMO_USERS, ensure_demo
from trienkhai.documents.models import Document
from trienkhai.documents.queries import cascade, search, visible_documents
from trienkhai.inspections.models import Inspection, RemediationRequest, RequestState
from trienkhai.inspections.models import State as InspectionState
from trienkhai.tracking.models import Assignment, ExplanationRequest, ProgressReport, ReportState
from trienkhai.units.models import Reorganisation, Unit, UnitState
from trienkhai.units.queries import children_as_of

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _loaded(django_db_setup, django_db_blocker):
    """Load the demo once for the module inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        logins = ensure_demo()
        yield [u for u, _p, _d in logins]
        transaction.set_rollback(True)


@pytest.fixture
def demo(_loaded, db):
    return {u: get_user_model().objects.get(username=u) for u in _loaded}


def test_second_call_adds_nothing(demo):
    counts = (
        Unit.objects.count(),
        UnitState.objects.count(),
        Document.objects.count(),
        Grant.objects.count(),
        get_user_model().objects.count(),
        ChangeLogEntry.objects.count(),
    )
    logins = ensure_demo()
    assert [u for u, _p, _d in logins] == [u[0] for u in DEMO_USERS]
    assert counts == (
        Unit.objects.count(),
        UnitState.objects.count(),
        Document.objects.count(),
        Grant.objects.count(),
        get_user_model().objects.count(),
        ChangeLogEntry.objects.count(),
    )


def test_loaded_through_actions(demo):
    """Every unit has a creation entry in the change log, and the merges were recorded."""
    created = ChangeLogEntry.objects.filter(action="units.create").count()
    assert created == Unit.objects.count()
    assert Reorganisation.objects.filter(kind="merge", date=D(2025, 7, 1)).count() > 20
    assert 300 <= Unit.objects.count() <= 1500


def test_binh_thuan_in_2024_and_lam_dong_today(demo):
    admin = demo["quantri"]
    centre = Unit.objects.get(code="TW")
    in_2024 = {s.unit.code for s in children_as_of(admin, centre, D(2024, 1, 1))}
    assert {"BTH", "DNO", "LDG", "LAN", "TNI", "QNI"} <= in_2024
    today = {s.unit.code for s in children_as_of(admin, centre, D(2026, 1, 1))}
    assert "BTH" not in today and "LDG" in today and "LAN" not in today

    binh_thuan = Unit.objects.get(code="BTH")
    lam_dong = Unit.objects.get(code="LDG")
    assert binh_thuan.valid_to == D(2025, 7, 1)
    # Former communes of Tuy Phong are closed; their successor is open under Lâm Đồng.
    phuoc_the = Unit.objects.get(code="BTH.TP.XA-PHUOC-THE")
    assert phuoc_the.valid_to == D(2025, 7, 1)
    heir = (
        Reorganisation.objects.get(links__predecessor=phuoc_the)
        .links.get(predecessor=phuoc_the)
        .successor
    )
    assert heir.code == "BTH.XA-TUY-PHONG" and heir.valid_to is None
    assert heir.parent_id == lam_dong.pk and heir.path.startswith(lam_dong.path)
    # No district-level unit is open after the reform.
    assert not Unit.objects.filter(kind="district", valid_to__isnull=True).exists()
    assert Unit.objects.filter(kind="district").count() >= 13


def test_kl21_cascade_has_at_least_three_levels(demo):
    kl21 = Document.objects.get(symbol="21-KL/TW")
    levels = cascade(demo["quantri"], kl21)
    assert len(levels) >= 3
    assert [d.symbol for d in levels[0]] == ["03-KH/TW"]
    assert "52-KH/BTCTW" in {d.symbol for d in levels[1]}


def test_grants_and_clearance(demo):
    lamdong, commune = demo["lamdong"], demo["tuyphong"]
    assert reaches_unit(lamdong, Unit.objects.get(code="BTH.XA-TUY-PHONG"), Role.COORDINATOR)
    assert not reaches_unit(lamdong, Unit.objects.get(code="QNI"))
    assert Grant.objects.get(user=demo["kiemtra"]).clearance == Clearance.CONFIDENTIAL
    assert not reaches_unit(commune, Unit.objects.get(code="LDG"))
    secret = Document.objects.get(symbol="148-TB/TW")
    assert secret.classification == Clearance.CONFIDENTIAL
    # The inspector (cleared "mật") finds it; the province viewer sees that it exists, unread.
    assert search(demo["kiemtra"], "1355").filter(pk=secret.pk).exists()
    assert not search(demo["quangninh"], "1355").filter(pk=secret.pk).exists()
    assert visible_documents(demo["quangninh"]).get(pk=secret.pk).readable is False


def test_user_logins_work(demo, client, settings):
    # The logins were hashed once for the module, before the fast test hasher was switched on.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    for username, password, _desc, _su, _grant in DEMO_USERS:
        assert client.login(username=username, password=password)
        client.logout()


DEVELOPER_WORDS = ("seed", "giả định", "mô phỏng", "demo", "dữ liệu", "du lieu")


def test_no_developer_notes_in_what_users_read(demo):
    """Every text a user can read (notes, texts, sources, search text) reads as real work."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("trienkhai."):
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            if isinstance(field, models.FileField) or field.name in ("password", "username"):
                continue
            query = Q()
            for word in DEVELOPER_WORDS:
                query |= Q(**{f"{field.name}__icontains": word})
            for value in model.objects.filter(query).values_list(field.name, flat=True)[:1]:
                found.append(f"{model.__name__}.{field.name}: {value[:80]}")
    assert found == []


def test_every_login_lands_on_work_waiting(demo):
    """Built as of today: each role has something to act on in its scope."""
    today = timezone.localdate()
    week = today + datetime.timedelta(days=7)
    open_work = Assignment.objects.filter(completed_on__isnull=True, due__lte=week)
    assert open_work.filter(unit__code="BTH.XA-TUY-PHONG").exists()  # reporter: reports to file
    assert ExplanationRequest.objects.filter(
        assignment__unit__code="BTH.XA-TUY-PHONG", answered_at__isnull=True
    ).exists()
    waiting = ProgressReport.objects.filter(state=ReportState.SUBMITTED)
    for code in ("LDG", "QNI", "TW"):  # coordinators and the administrator: reports to review
        assert waiting.filter(assignment__assigned_by__code=code).exists(), code
    qni = Unit.objects.get(code="QNI")  # the viewer: overdue and due work in the province
    assert open_work.filter(unit__path__startswith=qni.path).exists()
    # The inspector: self-reports awaited and a remediation report to evaluate.
    assert Inspection.objects.filter(unit__code="TW", state=InspectionState.ANNOUNCED).exists()
    assert RemediationRequest.objects.filter(
        inspection__unit__code="TW", state=RequestState.REPORTED
    ).exists()
