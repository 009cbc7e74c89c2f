"""A report request's world: a centre, two provinces with a commune each and a ward in the
first, KL 21, a province's earlier BC (its issuer code and term), and who holds what."""

import datetime

import pytest
from django.utils import timezone

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.documents.actions import register_document
from trienkhai.documents.models import DocType
from trienkhai.reports import figures, outline
from trienkhai.reports.actions import requests as request_actions
from trienkhai.tree.kinds import UnitKind

D = datetime.date
TODAY = timezone.localdate()  # the product's day (Asia/Ho_Chi_Minh), not the machine's


def sections():
    return [
        {"number": n, "title": str(t), "facts": f, "guidance": str(g)}
        for n, t, f, g in outline.DEFAULT_OUTLINE
    ]


@pytest.fixture
def w(tree):
    t = dict(tree)
    t["kl21"] = register_document(
        None,
        symbol="21-KL/TW",
        doc_type=DocType.CONCLUSION,
        issuing_unit=tree["root"],
        term="XIII",
        date=D(2021, 10, 25),
        subject="Về đẩy mạnh xây dựng, chỉnh đốn Đảng",
    )
    # a province's earlier document teaches its issuer code and term (its BC sequence)
    register_document(
        None,
        symbol="05-BC/TU",
        doc_type=DocType.REPORT,
        issuing_unit=tree["prov_a"],
        term="XVII",
        date=D(2022, 1, 5),
        subject="Báo cáo trước",
    )
    t["commune_a2"] = factories.unit(tree["prov_a"], UnitKind.WARD, "Phường An Hòa", "W-a2")
    t["coord_root"] = factories.user("coord-root", (Role.COORDINATOR, tree["root"]))
    t["coord_a"] = factories.user("coord-a", (Role.COORDINATOR, tree["prov_a"]))
    t["rep_a"] = factories.user("rep-a", (Role.REPORTER, tree["prov_a"], False))
    t["rep_b"] = factories.user("rep-b", (Role.REPORTER, tree["prov_b"], False))
    t["rep_commune"] = factories.user("rep-xa", (Role.REPORTER, tree["commune_a"], False))
    t["viewer_b"] = factories.user("viewer-b", (Role.VIEWER, tree["prov_b"]))
    return t


def make_request(w, **kw):
    fields = dict(
        unit=w["root"],
        title="Báo cáo sơ kết 1 năm thực hiện Kết luận 21",
        kind="interim",
        directives=[w["kl21"]],
        period_start=D(2021, 12, 1),
        period_end=D(2022, 11, 30),
        deadline=TODAY + datetime.timedelta(days=10),
        rule="children",
        sections=sections(),
        figure_codes=list(figures.DEFAULT_CODES),
        manual=[
            {
                "code": "KH-TYLE",
                "label": "Tỷ lệ cấp ủy trực thuộc đã ban hành kế hoạch",
                "measure": "%",
                "check_against": coverage_code(),
            },
            {"code": "DV-HT", "label": "Số đảng viên được học tập", "measure": "người"},
        ],
    )
    fields.update(kw)
    return request_actions.create_request(w["coord_root"], **fields)


def coverage_code() -> str:
    """The form's plan-coverage rate figure (the one a written "100%" is checked against)."""
    return next(code for code in figures.FIGURES if "coverage" in code and "rate" in code)
