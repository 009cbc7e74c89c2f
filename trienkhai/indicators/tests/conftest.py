"""A small world for indicator tests: province A with three communes, a set on 57-NQ/TW."""

import datetime

import pytest

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.documents.actions import register_document
from trienkhai.documents.models import DocType
from trienkhai.indicators import actions
from trienkhai.tree.kinds import UnitKind

D = datetime.date
YEAR = 2026


@pytest.fixture
def world(tree):
    root = tree["root"]
    nq57 = register_document(
        None,
        symbol="57-NQ/TW",
        doc_type=DocType.RESOLUTION,
        issuing_unit=root,
        term="XIII",
        date=D(2024, 12, 22),
        subject="Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
    )
    prov = tree["prov_a"]
    a2 = factories.unit(prov, UnitKind.COMMUNE, "Xã Đông Hưng", "C-a2")
    a3 = factories.unit(prov, UnitKind.COMMUNE, "Xã Tây Sơn", "C-a3")
    s = actions.create_set(None, document=nq57, unit=prov, name="Chỉ tiêu chuyển đổi số", year=YEAR)
    rate = actions.add_indicator(
        None,
        s,
        code="CDS-01",
        name="Tỷ lệ văn bản xử lý trên môi trường điện tử",
        measure="%",
        direction="more",
        aggregation="rate",
        period="month",
    )
    count = actions.add_indicator(
        None,
        s,
        code="CDS-02",
        name="Số đảng viên dùng Sổ tay đảng viên điện tử",
        measure="đảng viên",
        direction="more",
        aggregation="sum",
        period="month",
    )
    return {
        **tree,
        "nq57": nq57,
        "set": s,
        "rate": rate,
        "count": count,
        "commune_a2": a2,
        "commune_a3": a3,
        "coord_a": factories.user("coord-a", (Role.COORDINATOR, prov)),
        "coord_b": factories.user("coord-b", (Role.COORDINATOR, tree["prov_b"])),
        "reporter_c": factories.user("reporter-c", (Role.REPORTER, tree["commune_a"], False)),
        "viewer_a": factories.user("viewer-a", (Role.VIEWER, prov)),
    }
