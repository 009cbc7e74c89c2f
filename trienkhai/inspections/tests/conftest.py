"""A province inspecting two of its units, and the people on each side."""

import datetime

import pytest

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.documents import actions as doc_actions
from trienkhai.documents.models import DocType
from trienkhai.inspections.actions import inspections as inspection_actions
from trienkhai.inspections.actions import steps as step_actions
from trienkhai.inspections.models import InspectionKind

D = datetime.date


class World(dict):
    __getattr__ = dict.__getitem__


@pytest.fixture
def world(tree):
    w = World(tree)
    w["directive"] = doc_actions.register_document(
        None,
        symbol="21-KL/TW",
        doc_type=DocType.CONCLUSION,
        issuing_unit=tree["root"],
        term="XIII",
        date=D(2021, 10, 25),
        subject="Kết luận về đẩy mạnh xây dựng, chỉnh đốn Đảng",
    )
    w["inspector"] = factories.user("kt-a", (Role.INSPECTOR, tree["prov_a"]))
    w["commune_rep"] = factories.user("bc-xa", (Role.REPORTER, tree["commune_a"], False))
    w["org_rep"] = factories.user("bc-db", (Role.REPORTER, tree["org_a"], False))
    w["viewer_b"] = factories.user("xem-b", (Role.VIEWER, tree["prov_b"]))
    w["inspector_b"] = factories.user("kt-b", (Role.INSPECTOR, tree["prov_b"]))
    return w


def new_inspection(w, **kw):
    fields = dict(
        kind=InspectionKind.THEMATIC_INSPECTION,
        unit=w.prov_a,
        title="Kiểm tra việc thực hiện Kết luận số 21-KL/TW",
        team_name="Đoàn kiểm tra số 5",
        directives=[w.directive],
        inspected_units=[w.commune_a, w.org_a],
        period_from=D(2022, 1, 1),
        period_to=D(2024, 6, 30),
        work_from=D(2024, 9, 1),
        work_to=D(2024, 9, 30),
        planned_on=D(2024, 8, 1),
    )
    fields.update(kw)
    return inspection_actions.create_inspection(w.inspector, **fields)


def register(w, inspection, doc_type, symbol, date):
    return step_actions.register_side_document(
        w.inspector,
        inspection,
        doc_type=doc_type,
        symbol=symbol,
        date=date,
        subject="Văn bản của đoàn kiểm tra",
        term="XVII",
    )


SELF_REPORT_DAY = D(2024, 9, 10)


def upload(w, part, user, day=SELF_REPORT_DAY, name="bao-cao.pdf"):
    return inspection_actions.upload_self_report(
        user, part, submitted_on=day, name=name, content=b"%PDF-1.4 tu kiem tra"
    )


def to_concluded(w, inspection):
    """Walk an inspection through every step to the notice of conclusions."""
    decision = register(w, inspection, DocType.DECISION, "15-QĐ/TU", D(2024, 8, 20))
    inspection = step_actions.decide(w.inspector, inspection, decision=decision)
    inspection = step_actions.announce(w.inspector, inspection, date=D(2024, 9, 1))
    parts = {p.unit_id: p for p in inspection.parts.all()}
    upload(w, parts[w.commune_a.pk], w.commune_rep)
    upload(w, parts[w.org_a.pk], w.org_rep)
    inspection = step_actions.receive_self_reports(w.inspector, inspection, date=D(2024, 9, 12))
    inspection = step_actions.start_verification(w.inspector, inspection, date=D(2024, 9, 15))
    notice = register(w, inspection, DocType.NOTICE, "30-TB/TU", D(2024, 10, 5))
    return step_actions.conclude(w.inspector, inspection, notice=notice), parts
