"""Good practices of the demo: those the Central Organisation Commission's report names (seed 004)
and Bình Thuận's (seed 000), each on the unit as it existed then, with a few adoptions below.

Call `load_demo()` after `trienkhai.demo.loader.ensure_demo()`; it writes through
`practices.actions` and does nothing when the practices are already there. Titles and
descriptions paraphrase the seeds; the adoptions and their dates are synthetic (the records
themselves do not say so: what a user reads holds no notes meant for developers). Bắc Giang,
Bình Định, Bình Dương, Vĩnh Phúc and Bến Tre closed on 1/7/2025; their practices stay on them,
as history.
"""

import datetime

from trienkhai.core.context import acting_as
from trienkhai.documents.models import Document
from trienkhai.practices import actions
from trienkhai.practices.models import GoodPractice
from trienkhai.units.models import Unit

D = datetime.date
COC = "Ban Tổ chức Trung ương, bài tổng hợp kết quả thực hiện Kết luận 21"
BTH_SOURCE = "Làm việc của Đoàn công tác Bộ Chính trị tại Bình Thuận"

# (key, unit code, title, description, year, [(symbol, issuer code)], source)
PRACTICES = [
    (
        "hn",
        "HNI",
        "Đưa nội dung thực hiện Kết luận 21 vào Kế hoạch kiểm tra, giám sát năm 2022",
        "Ban Tổ chức Thành ủy tham mưu đưa nội dung thực hiện Kết luận số 21-KL/TW vào Kế "
        "hoạch kiểm tra, giám sát của Ban Chấp hành Đảng bộ thành phố năm 2022.",
        2022,
        [("21-KL/TW", "TW"), ("01-KH/TU", "HNI")],
        COC,
    ),
    (
        "bg",
        "BGG",
        "Giám sát chuyên đề việc triển khai thực hiện Kết luận 21",
        "Ban Tổ chức Tỉnh ủy tham mưu cấp ủy ban hành Kế hoạch giám sát chuyên đề việc triển "
        "khai thực hiện Kết luận số 21-KL/TW.",
        2022,
        [("21-KL/TW", "TW"), ("70-KH/TU", "BGG")],
        COC,
    ),
    (
        "bd",
        "BDH",
        "Kiểm tra việc lãnh đạo, chỉ đạo và xây dựng kế hoạch thực hiện Kết luận 21",
        "Ban hành Kế hoạch kiểm tra việc lãnh đạo, chỉ đạo và xây dựng kế hoạch, tổ chức thực "
        "hiện Kết luận số 21-KL/TW.",
        2022,
        [("21-KL/TW", "TW"), ("55-KH/TU", "BDH")],
        COC,
    ),
    (
        "dn",
        "DNG",
        "Bộ phận thường trực và tổ giúp việc thực hiện Nghị quyết Trung ương 4 từ thành phố "
        "đến cơ sở",
        "Đưa việc quán triệt, triển khai các văn bản, quy định mới của Trung ương về xây dựng, "
        "chỉnh đốn Đảng vào Chương trình kiểm tra, giám sát hằng năm của cấp ủy, ủy ban kiểm tra "
        "các cấp; củng cố, kiện toàn Bộ phận thường trực và tổ giúp việc thực hiện Nghị quyết "
        "Trung ương 4 khóa XII từ thành phố đến cơ sở để theo dõi, đôn đốc; qua đó nhân rộng, "
        "biểu dương mô hình, cách làm mới, hiệu quả.",
        2022,
        [("21-KL/TW", "TW"), ("04-NQ/TW", "TW")],
        COC,
    ),
    (
        "sl",
        "SLA",
        "Cơ chế, chính sách khuyến khích, thu hút nguồn lực đầu tư phát triển kinh tế - xã hội",
        "Tập trung lãnh đạo, chỉ đạo ban hành nhiều cơ chế, chính sách khuyến khích, thu hút "
        "các nguồn lực đầu tư; thường xuyên nắm bắt, định hướng tư tưởng dư luận xã hội, giải "
        "quyết các vấn đề xã hội bức xúc.",
        2022,
        [("21-KL/TW", "TW")],
        COC,
    ),
    (
        "bdg",
        "BDG",
        "Đánh giá kết quả thực hiện Nghị quyết Trung ương 4 trong sinh hoạt định kỳ",
        "Bổ sung đánh giá kết quả thực hiện Nghị quyết Trung ương 4 (khóa XI, XII) vào nội dung "
        "sinh hoạt định kỳ của cấp ủy, tổ chức đảng, cơ quan, đơn vị và các tổ chức chính trị - "
        "xã hội; từng nơi đề ra lộ trình khắc phục hạn chế, khuyết điểm.",
        2022,
        [("04-NQ/TW", "TW"), ("21-KL/TW", "TW")],
        COC,
    ),
    (
        "bth",
        "BTH",
        "Đợt sinh hoạt chính trị “Giữ trọn lời thề đảng viên”",
        "Ban Thường vụ Tỉnh ủy tổ chức đợt sinh hoạt chính trị “Giữ trọn lời thề đảng viên” "
        "trong toàn đảng bộ để cán bộ, đảng viên tự rà soát, soi rọi quá trình thực hiện lời "
        "tuyên thệ khi được kết nạp Đảng; xác định 10 nhóm biểu hiện và 5 nhóm giải pháp khắc "
        "phục tình trạng né tránh, đùn đẩy, sợ trách nhiệm.",
        2023,
        [("21-KL/TW", "TW"), ("45-KH/TU", "BTH")],
        BTH_SOURCE,
    ),
]
# Same practice in four provinces (seed 004): each records its own.
MEMBER_VISITS = (
    "Quy định trách nhiệm cấp ủy viên tỉnh dự sinh hoạt với chi bộ, đảng bộ cơ sở",
    "Ban hành, điều chỉnh Quy định về trách nhiệm và phân công cấp ủy viên tỉnh dự sinh hoạt "
    "với chi bộ, đảng bộ cơ sở thuộc địa bàn, lĩnh vực phụ trách trong năm 2022, để đánh giá "
    "sát chất lượng sinh hoạt cấp ủy, chi bộ.",
)
MEMBER_VISIT_UNITS = ("VPC", "DNI", "TNI", "BTR")

# (practice key, adopting unit code, date, note)
ADOPTIONS = [
    (
        "hn",
        "HNI.GL",
        D(2022, 3, 10),
        "Huyện ủy đưa nội dung Kết luận 21 vào chương trình kiểm tra, giám sát năm 2022.",
    ),
    (
        "dn",
        "DNG.HV",
        D(2022, 6, 15),
        "Kiện toàn tổ giúp việc cấp huyện theo mô hình của thành phố.",
    ),
    (
        "bth",
        "BTH.PT",
        D(2023, 11, 20),
        "Tổ chức đợt sinh hoạt “Giữ trọn lời thề đảng viên” ở các chi bộ.",
    ),
]


def _doc(symbol: str, issuer: str) -> Document:
    return Document.objects.get(symbol=symbol, issuing_unit__code=issuer)


def load_demo(stdout=None) -> int:
    """Record the demo practices and adoptions once; return how many practices were recorded."""
    if GoodPractice.objects.filter(unit__code="HNI").exists():
        return 0
    recorded = {}
    with acting_as(None):
        for key, code, title, description, year, docs, source in PRACTICES:
            unit = Unit.objects.filter(code=code).first()
            if unit is None:
                continue
            recorded[key] = actions.record_practice(
                None,
                unit=unit,
                title=title,
                description=description,
                year=year,
                directives=[_doc(s, i) for s, i in docs],
                source=source,
            )
        for code in MEMBER_VISIT_UNITS:
            unit = Unit.objects.filter(code=code).first()
            if unit is not None:
                recorded[f"visit-{code}"] = actions.record_practice(
                    None,
                    unit=unit,
                    title=MEMBER_VISITS[0],
                    description=MEMBER_VISITS[1],
                    year=2022,
                    directives=[_doc("21-KL/TW", "TW")],
                    source=COC,
                )
        for key, code, date, note in ADOPTIONS:
            unit = Unit.objects.filter(code=code).first()
            if key in recorded and unit is not None:
                actions.adopt(None, recorded[key], unit=unit, adopted_on=date, note=note)
    if stdout is not None:
        stdout.write(f"Đã ghi {len(recorded)} mô hình, cách làm hay.\n")
    return len(recorded)
