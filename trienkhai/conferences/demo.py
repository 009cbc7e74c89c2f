"""Dissemination conferences of the demo: Quảng Ninh's of 15/1/2022 (seed 003) and those below it.

Call `load_demo()` after `trienkhai.demo.loader.ensure_demo()`; it writes through
`conferences.actions` and does nothing when the Quảng Ninh conference is already there.

From the seed: the provincial conference of 15/1/2022, online to 237 connection points "từ tỉnh
đến các huyện, thị xã, thành phố", with "hơn 15.500 đại biểu" (entered as 15.500, with a note),
covering the five documents its title names (21-KL/TW and the Tỉnh ủy's action programme on it,
14-KL/TW and the programme on it, 08-NQ/TU). Synthetic (the records do not say so): the district
and commune conferences after it, their figures and dates — some communes on time against the
"quý I/2022" task of the action programme, some late, some none — and one of Bình Thuận.
"""

import datetime

from trienkhai.conferences import actions
from trienkhai.conferences.models import Category, Conference, Format
from trienkhai.core.context import acting_as
from trienkhai.documents.models import Document
from trienkhai.tracking.models import Assignment
from trienkhai.units.models import Unit

D = datetime.date
SEED_NOTE = (
    "Hội nghị kết nối trực tuyến đến 237 điểm cầu từ tỉnh đến các huyện, thị xã, thành phố "
    "với “hơn 15.500 đại biểu” tham dự. Số đại biểu ghi 15.500 là mức tối thiểu; chưa có số "
    "liệu chia theo cấp, thành phần và tỷ lệ đảng viên tham gia."
)
# The district committees had to hold theirs soon after the province's ("ngay sau hội nghị").
DISTRICT_DEADLINE = D(2022, 1, 31)
QUARTER_END = D(2022, 3, 31)

# (unit code, date or None for "held none", members expected, attending, non-members)
COMMUNES = [
    ("QNI.HL.PHUONG-BACH-DANG", D(2022, 2, 22), 412, 405, 160),
    ("QNI.HL.PHUONG-HONG-GAI", D(2022, 3, 10), 530, 512, 210),
    ("QNI.HL.PHUONG-TRAN-HUNG-DAO", None, 0, 0, 0),
    ("QNI.HL.PHUONG-BAI-CHAY", D(2022, 4, 12), 468, 431, 95),
    ("QNI.HL.PHUONG-HUNG-THANG", D(2022, 3, 25), 297, 291, 120),
    ("QNI.DH.THI-TRAN-DAM-HA", D(2022, 2, 28), 356, 349, 140),
    ("QNI.DH.XA-TAN-BINH", D(2022, 4, 20), 188, 171, 60),
    ("QNI.DH.XA-DAI-BINH", None, 0, 0, 0),
    ("QNI.DH.XA-QUANG-TAN", D(2022, 3, 15), 214, 209, 85),
    ("QNI.DH.XA-DUC-YEN", None, 0, 0, 0),
    ("QNI.DH.XA-QUANG-AN", D(2022, 5, 5), 176, 158, 40),
    ("QNI.DH.XA-QUANG-LAM", D(2022, 3, 4), 143, 140, 55),
]


def _doc(symbol: str, issuer: str) -> Document:
    return Document.objects.get(symbol=symbol, issuing_unit__code=issuer)


def _task_assignment(unit: Unit, plan_symbol: str, issuer: str, number: str = "1"):
    """The unit's share of task `number` of a plan, if still on the unit (not handed over)."""
    return (
        Assignment.objects.filter(
            unit=unit,
            task__number=number,
            task__plan__document__symbol=plan_symbol,
            task__plan__document__issuing_unit__code=issuer,
        )
        .order_by("due")
        .first()
    )


def _deadline(unit: Unit, plan_symbol: str, issuer: str, fallback: datetime.date) -> dict:
    assignment = _task_assignment(unit, plan_symbol, issuer)
    if assignment is not None:
        return {"deadline_assignment": assignment}
    return {"deadline": fallback}


def _province(docs) -> Conference:
    qni = Unit.objects.get(code="QNI")
    return actions.record_conference(
        None,
        host=qni,
        date=D(2022, 1, 15),
        title=(
            "Hội nghị học tập, quán triệt, triển khai thực hiện Kết luận số 21-KL/TW ngày "
            "25/10/2021 của Ban Chấp hành Trung ương Đảng và Chương trình hành động của Tỉnh "
            "ủy; Kết luận số 14-KL/TW ngày 22/9/2021 của Bộ Chính trị và kế hoạch thực hiện "
            "của Tỉnh ủy; Nghị quyết số 08-NQ/TU ngày 25/11/2021 của Ban Chấp hành Đảng bộ tỉnh "
            "về phương hướng, nhiệm vụ năm 2022"
        ),
        format=Format.ONLINE,
        documents=docs,
        points=[("Từ tỉnh đến các huyện, thị xã, thành phố", 237)],
        attendance=[("Toàn tỉnh", Category.UNSPECIFIED, 15_500)],
        note=SEED_NOTE,
        **_deadline(qni, "03-KH/TW", "TW", QUARTER_END),
    )


def _district(code, date, points, members, docs) -> Conference:
    unit = Unit.objects.get(code=code)
    expected, attending, non_members = members
    return actions.record_conference(
        None,
        host=unit,
        date=date,
        title=f"Hội nghị học tập, quán triệt Kết luận số 21-KL/TW và Chương trình hành động của "
        f"Tỉnh ủy — {unit.name}",
        format=Format.HYBRID,
        documents=docs,
        points=points,
        attendance=[
            ("Cấp huyện", Category.KEY_OFFICIALS, 140),
            ("Cấp xã", Category.PARTY_MEMBERS, attending - 140),
            ("Cấp xã", Category.PUBLIC, non_members),
        ],
        members_expected=expected,
        members_attending=attending,
        non_member_attendances=non_members,
        deadline=DISTRICT_DEADLINE,
    )


def _commune(code, date, expected, attending, non_members, docs) -> Conference:
    unit = Unit.objects.get(code=code)
    return actions.record_conference(
        None,
        host=unit,
        date=date,
        title=f"Hội nghị quán triệt Kết luận số 21-KL/TW — {unit.name}",
        format=Format.IN_PERSON,
        documents=docs,
        points=[("Cấp xã", 1)],
        attendance=[
            ("Cấp xã", Category.PARTY_MEMBERS, attending),
            ("Cấp xã", Category.PUBLIC, non_members),
        ],
        members_expected=expected,
        members_attending=attending,
        non_member_attendances=non_members,
        **_deadline(unit, "12-CTr/TU", "QNI", QUARTER_END),
    )


def _binh_thuan() -> Conference | None:
    bth = Unit.objects.filter(code="BTH").first()
    if bth is None:
        return None
    return actions.record_conference(
        None,
        host=bth,
        date=D(2021, 12, 28),
        title="Hội nghị học tập, quán triệt Kết luận số 21-KL/TW và Kế hoạch số 03-KH/TW "
        "của Bộ Chính trị",
        format=Format.HYBRID,
        documents=[_doc("21-KL/TW", "TW"), _doc("03-KH/TW", "TW"), _doc("45-KH/TU", "BTH")],
        points=[("Cấp tỉnh", 1), ("Cấp huyện", 10), ("Cấp xã", 114)],
        attendance=[
            ("Cấp tỉnh", Category.KEY_OFFICIALS, 250),
            ("Cấp huyện", Category.PARTY_MEMBERS, 1_350),
            ("Cấp xã", Category.PARTY_MEMBERS, 4_600),
        ],
        members_expected=6_338,
        members_attending=6_200,
        **_deadline(bth, "03-KH/TW", "TW", QUARTER_END),
    )


def load_demo(stdout=None) -> int:
    """Record the demo conferences once; return how many were recorded."""
    if Conference.objects.filter(host__code="QNI", date=D(2022, 1, 15)).exists():
        return 0
    with acting_as(None):
        five = [
            _doc("21-KL/TW", "TW"),
            _doc("12-CTr/TU", "QNI"),
            _doc("14-KL/TW", "TW"),
            _doc("13-CTr/TU", "QNI"),
            _doc("08-NQ/TU", "QNI"),
        ]
        kl21_and_programme = five[:2]
        recorded = [_province(five)]
        recorded.append(
            _district(
                "QNI.HL",
                D(2022, 1, 20),
                [("Cấp huyện", 1), ("Cấp xã", 20), ("Chi bộ", 42)],
                (1_998, 1_949, 820),
                kl21_and_programme,
            )
        )
        recorded.append(
            _district(
                "QNI.DH",
                D(2022, 2, 8),
                [("Cấp huyện", 1), ("Cấp xã", 9)],
                (1_310, 1_262, 410),
                kl21_and_programme,
            )
        )
        for code, date, expected, attending, non_members in COMMUNES:
            if date is not None:
                recorded.append(
                    _commune(code, date, expected, attending, non_members, kl21_and_programme)
                )
        police = Unit.objects.get(code="QNI.CA")
        recorded.append(
            actions.record_conference(
                None,
                host=police,
                date=D(2022, 1, 18),
                title="Hội nghị quán triệt Kết luận số 21-KL/TW trong Đảng bộ Công an tỉnh",
                format=Format.IN_PERSON,
                documents=kl21_and_programme,
                points=[("Tổ chức cơ sở đảng", 1)],
                attendance=[("Tổ chức cơ sở đảng", Category.PARTY_MEMBERS, 310)],
                members_expected=318,
                members_attending=310,
            )
        )
        bth = _binh_thuan()
        if bth is not None:
            recorded.append(bth)
    if stdout is not None:
        stdout.write(f"Đã ghi {len(recorded)} hội nghị học tập, quán triệt.\n")
    return len(recorded)
