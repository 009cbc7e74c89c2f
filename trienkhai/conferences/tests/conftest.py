"""A small world for conference tests: two provinces with a commune each, two documents."""

import datetime

import pytest

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.documents.actions import register_document
from trienkhai.documents.models import DocType
from trienkhai.tree.kinds import UnitKind

D = datetime.date


@pytest.fixture
def world(tree):
    root = tree["root"]
    kl21 = register_document(
        None,
        symbol="21-KL/TW",
        doc_type=DocType.CONCLUSION,
        issuing_unit=root,
        term="XIII",
        date=D(2021, 10, 25),
        subject="Về đẩy mạnh xây dựng, chỉnh đốn Đảng",
    )
    kh_a = register_document(
        None,
        symbol="01-KH/TU",
        doc_type=DocType.PLAN,
        issuing_unit=tree["prov_a"],
        term="XVII",
        date=D(2021, 12, 1),
        subject="Kế hoạch thực hiện Kết luận số 21-KL/TW",
    )
    kh_b = register_document(
        None,
        symbol="02-KH/TU",
        doc_type=DocType.PLAN,
        issuing_unit=tree["prov_b"],
        term="XVII",
        date=D(2021, 12, 2),
        subject="Kế hoạch của tỉnh Bình",
    )
    commune_a2 = factories.unit(tree["prov_a"], UnitKind.COMMUNE, "Xã Đông Hưng", "C-a2")
    commune_a3 = factories.unit(tree["prov_a"], UnitKind.COMMUNE, "Xã Tây Sơn", "C-a3")
    return {
        **tree,
        "kl21": kl21,
        "kh_a": kh_a,
        "kh_b": kh_b,
        "commune_a2": commune_a2,
        "commune_a3": commune_a3,
        "coord_a": factories.user("coord-a", (Role.COORDINATOR, tree["prov_a"])),
        "coord_b": factories.user("coord-b", (Role.COORDINATOR, tree["prov_b"])),
        "viewer_a": factories.user("viewer-a", (Role.VIEWER, tree["prov_a"])),
        "reporter_c": factories.user("reporter-c", (Role.REPORTER, tree["commune_a"], False)),
    }


def values(w, **over):
    """A valid conference of province A on 15/1/2022 covering two documents."""
    base = {
        "host": w["prov_a"],
        "date": D(2022, 1, 15),
        "title": "Hội nghị học tập, quán triệt Kết luận 21",
        "format": "online",
        "documents": [w["kl21"], w["kh_a"]],
        "points": [("Cấp tỉnh", 1), ("Cấp xã", 236)],
        "attendance": [("Cấp tỉnh", "key_officials", 500), ("Cấp xã", "party_members", 15_000)],
        "members_expected": 15_380,
        "members_attending": 15_003,
        "non_member_attendances": 120,
        "deadline": D(2022, 3, 31),
    }
    base.update(over)
    return base
