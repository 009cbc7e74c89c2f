"""Demo inspections, loaded through the actions after `demo.loader.ensure_demo` builds the tree.

- Đoàn kiểm tra số 1355 of the Politburo at Bình Thuận on Kết luận 21 (seed 000), 26/9–14/11.
  The seed gives no year; 2024 is assumed (Bình Thuận still existed: it merged into Lâm Đồng on
  1/7/2025), as the demo registry's notice 148-TB/TW (20/12/2024) also assumes. What a user
  reads (notes, texts) holds no such remark: it reads as the record of real work. Strengths
  and the four requests are the seed's words; what happened to each request afterwards is
  simulated. Before 1/7/2025 the province remedies: one request is closed
  after an effective evaluation, one is sent back by an ineffective one. The tree's 2025
  reorganisation has already run when this loads, so the open requests are then handed to Lâm
  Đồng (what the merge's handover hook does) and everything dated from 1/7/2025 is done by Lâm
  Đồng, since a closed unit can no longer act. Three requests stay open and overdue.
- The Secretariat's inspection at Long An on Nghị quyết Trung ương 4 khóa XII and the rules on
  setting an example (seed 001, working session 19/7/2019), with the province's recommendations
  upward; and the four provincial teams of March 2019. Document numbers are simulated.
"""

import datetime

from django.db import transaction

from trienkhai.core.context import acting_as
from trienkhai.documents.models import DocType, Document
from trienkhai.inspections.actions import conclusions as conclusion_actions
from trienkhai.inspections.actions import inspections as inspection_actions
from trienkhai.inspections.actions import remediation as remediation_actions
from trienkhai.inspections.actions import steps as step_actions
from trienkhai.inspections.hooks import hand_over_requests
from trienkhai.inspections.models import FindingKind, Inspection, InspectionKind, MemberRole
from trienkhai.units.models import Reorganisation, Unit

D = datetime.date
TEAM_1355 = "Đoàn kiểm tra số 1355"
SELF_REPORT = "Báo cáo tự kiểm tra theo đề cương của đoàn kiểm tra.".encode()

BTH_STRENGTHS = [
    "Ban Thường vụ Tỉnh ủy và cấp ủy các cấp chuẩn bị chu đáo, quán triệt kế hoạch, yêu cầu "
    "của Đoàn kiểm tra; tự kiểm tra, báo cáo theo đề cương, hướng dẫn của Ban Bí thư và đoàn.",
    "Triển khai thực hiện Kết luận số 21-KL/TW quyết liệt, toàn diện đến tất cả các cấp ủy và "
    "cán bộ, đảng viên; chủ động khắc phục khó khăn, hạn chế trong lãnh đạo, chỉ đạo.",
    "Tổ chức đợt sinh hoạt chính trị “Giữ trọn lời thề đảng viên” trong toàn đảng bộ.",
    "Xác định rõ 10 nhóm biểu hiện và 5 nhóm giải pháp khắc phục tình trạng né tránh, đùn đẩy, "
    "sợ trách nhiệm trong đội ngũ cán bộ, đảng viên, công chức, viên chức.",
    "Công tác kiểm tra, giám sát và thi hành kỷ luật Đảng được thực hiện nghiêm; chất lượng các "
    "cuộc kiểm tra, giám sát được nâng lên.",
]
BTH_REQUESTS = [
    (
        "Tiếp tục quán triệt, nâng cao nhận thức toàn đảng, toàn dân về công tác xây dựng Đảng, "
        "coi đây là việc làm quan trọng, thường xuyên.",
        D(2025, 6, 30),
    ),
    (
        "Huy động sức mạnh tổng hợp để tăng cường xây dựng Đảng, hệ thống chính trị tinh, gọn, "
        "mạnh, hoạt động hiệu lực, hiệu quả; đẩy lùi suy thoái tư tưởng chính trị, đạo đức, "
        "lối sống.",
        D(2025, 12, 31),
    ),
    (
        "Tiếp tục nâng cao chất lượng sinh hoạt cấp ủy, chi bộ các cấp, hiệu quả sinh hoạt chi bộ.",
        D(2025, 6, 30),
    ),
    (
        "Đẩy mạnh công tác kiểm tra, giám sát trong việc thực hiện các nghị quyết.",
        D(2025, 9, 30),
    ),
]
LAN_SHORTCOMINGS = [
    "Một số cấp ủy, tổ chức đảng quán triệt, triển khai Nghị quyết, các quy định về nêu gương "
    "còn chậm, chưa sâu, kỹ; chưa nắm vững nội dung cơ bản của Nghị quyết, quy định.",
    "Công tác tuyên truyền có lúc, có nơi chưa thường xuyên, sâu rộng; việc giám sát tu dưỡng, "
    "rèn luyện đạo đức của cán bộ, đảng viên còn ít.",
    "Việc kiểm điểm, đánh giá, xếp loại tổ chức đảng, đảng viên ở một số địa phương còn chạy "
    "theo thành tích, nêu ưu điểm nhiều mà chưa mạnh dạn nhận thấy hạn chế.",
    "Tại một số chi bộ, chất lượng sinh hoạt còn chậm đổi mới, nội dung nặng về chuyên môn.",
]
LAN_RECOMMENDATIONS = [
    "Trung ương kịp thời có thông tin chính thống, nhất là những vấn đề lớn liên quan đến cuộc "
    "sống người dân, để địa phương chủ động tuyên truyền, định hướng dư luận.",
    "Tiếp tục quan tâm giải quyết những vấn đề bức xúc trong phát triển kinh tế - xã hội, nhất "
    "là kết nối hạ tầng giao thông, liên kết vùng.",
    "Chỉ đạo đồng bộ, kịp thời việc khen thưởng, nhân rộng các mô hình, điển hình thực hiện "
    "Nghị quyết Trung ương 4 khóa XII và các quy định nêu gương.",
]
LAN_TEAMS = [
    ("Đoàn kiểm tra số 1 của Ban Thường vụ Tỉnh ủy Long An", ["LAN.TA"]),
    ("Đoàn kiểm tra số 2 của Ban Thường vụ Tỉnh ủy Long An", ["LAN.BL"]),
    ("Đoàn kiểm tra số 3 của Ban Thường vụ Tỉnh ủy Long An", ["LAN.CA"]),
    (
        "Đoàn kiểm tra số 4 của Ban Thường vụ Tỉnh ủy Long An",
        ["LAN.TA.PHUONG-1", "LAN.BL.THI-TRAN-BEN-LUC"],
    ),
]


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def _doc(symbol: str) -> Document:
    return Document.objects.get(symbol=symbol, issuing_unit__code="TW")


def _walk(inspection, *, decision, announced, self_reports, received, verifying, notice):
    """Decision → announcement → every self-report → verification → notice of conclusions."""
    doc = step_actions.register_side_document(None, inspection, **decision)
    inspection = step_actions.decide(None, inspection, decision=doc)
    inspection = step_actions.announce(None, inspection, date=announced)
    for part in inspection.parts.all():
        inspection_actions.upload_self_report(
            None,
            part,
            submitted_on=self_reports,
            name=f"bao-cao-tu-kiem-tra-{part.unit.code.lower()}.txt",
            content=SELF_REPORT,
        )
    inspection = step_actions.receive_self_reports(None, inspection, date=received)
    inspection = step_actions.start_verification(None, inspection, date=verifying)
    if isinstance(notice, dict):
        notice = step_actions.register_side_document(None, inspection, **notice)
    return step_actions.conclude(None, inspection, notice=notice)


def _remedy(req, *, plan=None, start=None, report=None, evaluations=(), closed=None):
    """Each step is optional so a request can be taken further later (by a successor)."""
    if plan:
        req = remediation_actions.file_action_plan(None, req, text=plan[1], date=plan[0])
    if start:
        req = remediation_actions.start(None, req, date=start)
    if report:
        remediation_actions.report(None, req, reported_on=report[0], text=report[1])
        for on, effective, note in evaluations:
            remediation_actions.evaluate(None, req, evaluated_on=on, effective=effective, note=note)
    if closed:
        req.refresh_from_db()
        remediation_actions.close(None, req, date=closed)


def _hand_over(code: str) -> Unit | None:
    """Move the open requests of a unit the demo's reorganisation closed to its successor
    (the merge ran before these requests existed, so its hook had nothing to move then)."""
    op = Reorganisation.objects.filter(links__predecessor__code=code).order_by("-date").first()
    if op is None:
        return None
    heir = op.links.filter(predecessor__code=code).first().successor
    hand_over_requests(None, _unit(code), heir, op)
    return heir


def _binh_thuan():
    codes = ["BTH", "BTH.BCSD-UBND", "BTH.STNMT", "BTH.PT", "BTH.TP", "BTH.CA"]
    inspection = inspection_actions.create_inspection(
        None,
        kind=InspectionKind.THEMATIC_INSPECTION,
        unit=_unit("TW"),
        team_name=TEAM_1355,
        title="Kiểm tra việc thực hiện Kết luận số 21-KL/TW tại Ban Thường vụ Tỉnh ủy Bình Thuận "
        "và các tổ chức đảng trực thuộc",
        directives=[_doc("21-KL/TW")],
        inspected_units=[_unit(c) for c in codes],
        period_from=D(2021, 10, 25),
        period_to=D(2024, 8, 31),
        work_from=D(2024, 9, 26),
        work_to=D(2024, 11, 14),
        planned_on=D(2024, 8, 15),
        note="Đoàn làm việc từ ngày 26/9 đến ngày 14/11/2024. Từ 01/07/2025 tỉnh Bình Thuận "
        "hợp nhất vào tỉnh Lâm Đồng; Tỉnh ủy Lâm Đồng kế thừa các yêu cầu chưa hoàn thành.",
    )
    inspection_actions.add_member(
        None,
        inspection,
        name="Trịnh Văn Quyết",
        position="Bí thư Trung ương Đảng, Ủy viên Ban Thường vụ Quân ủy Trung ương, Chủ nhiệm "
        "Tổng cục Chính trị Quân đội Nhân dân Việt Nam",
        role=MemberRole.LEADER,
    )
    inspection = _walk(
        inspection,
        decision=dict(
            doc_type=DocType.DECISION,
            symbol="1355-QĐ/TW",
            date=D(2024, 9, 12),
            subject="Quyết định thành lập Đoàn kiểm tra số 1355 của Bộ Chính trị kiểm tra việc "
            "thực hiện Kết luận số 21-KL/TW tại Ban Thường vụ Tỉnh ủy Bình Thuận",
            term="Khóa XIII",
        ),
        announced=D(2024, 9, 26),
        self_reports=D(2024, 10, 7),
        received=D(2024, 10, 10),
        verifying=D(2024, 10, 16),
        notice=_doc("148-TB/TW"),
    )
    part = inspection.parts.get(unit__code="BTH")
    for text in BTH_STRENGTHS:
        conclusion_actions.add_finding(
            None, part, kind=FindingKind.STRENGTH, text=text, area="Xây dựng Đảng"
        )
    reqs = [conclusion_actions.add_request(None, part, text=t, deadline=d) for t, d in BTH_REQUESTS]
    step_actions.start_remediation(None, inspection, date=D(2025, 1, 6))
    # Until 30/6/2025 the Bình Thuận committee remedies and the team evaluates.
    _remedy(
        reqs[0],
        plan=(
            D(2025, 1, 10),
            "Kế hoạch của Ban Thường vụ Tỉnh ủy tiếp tục quán triệt Kết luận số 21-KL/TW "
            "đến chi bộ.",
        ),
        start=D(2025, 1, 15),
        report=(D(2025, 5, 12), "Đã tổ chức quán triệt đến 100% chi bộ."),
        evaluations=[(D(2025, 5, 26), True, "Khắc phục có hiệu quả.")],
        closed=D(2025, 5, 30),
    )
    _remedy(
        reqs[1],
        plan=(
            D(2025, 1, 20),
            "Chương trình phối hợp giữa các cơ quan trong hệ thống chính trị.",
        ),
        start=D(2025, 2, 3),
    )
    _remedy(
        reqs[2],
        plan=(D(2025, 1, 20), "Hướng dẫn nâng cao chất lượng sinh hoạt chi bộ."),
        start=D(2025, 2, 3),
        report=(D(2025, 6, 2), "Đã ban hành hướng dẫn sinh hoạt chuyên đề."),
        evaluations=[(D(2025, 6, 20), False, "Chưa có chuyển biến rõ ở chi bộ cơ sở.")],
    )
    # 1/7/2025: Bình Thuận merged into Lâm Đồng; its open requests move with its work and
    # from then on Lâm Đồng carries them (Bình Thuận can no longer act).
    heir = _hand_over("BTH")
    if heir is not None:
        reqs[2].refresh_from_db()
        _remedy(
            reqs[2],
            report=(
                D(2025, 10, 15),
                "Tỉnh ủy Lâm Đồng tiếp nhận, chỉ đạo đổi mới sinh hoạt chi bộ ở các đảng bộ "
                "xã, phường thuộc tỉnh Bình Thuận cũ.",
            ),
        )
        _remedy(
            reqs[3],
            plan=(
                D(2025, 8, 15),
                "Tỉnh ủy Lâm Đồng đưa nội dung vào chương trình kiểm tra, giám sát năm 2025.",
            ),
            start=D(2025, 9, 1),
        )
    return inspection


def _long_an_central():
    inspection = inspection_actions.create_inspection(
        None,
        kind=InspectionKind.THEMATIC_INSPECTION,
        unit=_unit("TW"),
        team_name="Đoàn kiểm tra của Ban Bí thư tại Long An",
        title="Kiểm tra kết quả thực hiện Nghị quyết Trung ương 4 khóa XII gắn với việc triển "
        "khai, tổ chức thực hiện các quy định nêu gương của Đảng",
        directives=[_doc(s) for s in ("04-NQ/TW", "101-QĐ/TW", "55-QĐ/TW", "08-QĐi/TW")],
        inspected_units=[_unit("LAN")],
        period_from=D(2016, 10, 30),
        period_to=D(2019, 6, 30),
        work_from=D(2019, 7, 15),
        work_to=D(2019, 7, 19),
        planned_on=D(2019, 5, 2),
        note="Buổi làm việc với Ban Thường vụ Tỉnh ủy ngày 19/7/2019.",
    )
    inspection_actions.add_member(
        None,
        inspection,
        name="Nguyễn Xuân Thắng",
        position="Bí thư Trung ương Đảng, Giám đốc Học viện Chính trị quốc gia Hồ Chí Minh",
        role=MemberRole.LEADER,
    )
    inspection = _walk(
        inspection,
        decision=dict(
            doc_type=DocType.DECISION,
            symbol="1980-QĐ/TW",
            date=D(2019, 5, 20),
            subject="Quyết định thành lập Đoàn kiểm tra của Ban Bí thư về thực hiện Nghị quyết "
            "Trung ương 4 khóa XII và các quy định nêu gương",
            term="Khóa XII",
        ),
        announced=D(2019, 6, 3),
        self_reports=D(2019, 6, 28),
        received=D(2019, 7, 1),
        verifying=D(2019, 7, 15),
        notice=dict(
            doc_type=DocType.NOTICE,
            symbol="395-TB/TW",
            date=D(2019, 8, 20),
            subject="Thông báo kết luận của Ban Bí thư về kết quả kiểm tra tại Ban Thường vụ "
            "Tỉnh ủy Long An",
            term="Khóa XII",
        ),
    )
    part = inspection.parts.get()
    conclusion_actions.add_finding(
        None,
        part,
        kind=FindingKind.STRENGTH,
        text="Sau hơn 2 năm thực hiện, công tác xây dựng Đảng được quan tâm rõ rệt và chuyển biến "
        "theo hướng tích cực; người đứng đầu thể hiện trách nhiệm, quyết tâm cao.",
    )
    for text in LAN_SHORTCOMINGS:
        conclusion_actions.add_finding(None, part, kind=FindingKind.SHORTCOMING, text=text)
    first = conclusion_actions.add_request(
        None,
        part,
        text="Tổng kết, bổ sung bài học kinh nghiệm trong công tác giáo dục chính trị tư tưởng, "
        "thống nhất nhận thức, lãnh đạo, chỉ đạo có trọng tâm, trọng điểm.",
        deadline=D(2019, 12, 31),
    )
    conclusion_actions.add_request(
        None,
        part,
        text="Tăng cường kiểm tra, giám sát; cụ thể hóa công tác phân loại, kiểm điểm đảng viên; "
        "làm rõ nguyên nhân của hạn chế, khuyết điểm và đề ra giải pháp khắc phục.",
        deadline=D(2020, 6, 30),
    )
    for text in LAN_RECOMMENDATIONS:
        conclusion_actions.add_recommendation(None, part, text=text, addressed_to=_unit("TW"))
    step_actions.start_remediation(None, inspection, date=D(2019, 9, 1))
    _remedy(
        first,
        plan=(D(2019, 9, 5), "Kế hoạch tổng kết công tác giáo dục chính trị tư tưởng."),
        start=D(2019, 9, 10),
        report=(D(2019, 12, 20), "Đã tổng kết, ban hành bài học kinh nghiệm."),
        evaluations=[(D(2020, 1, 10), True, "Đạt yêu cầu.")],
        closed=D(2020, 1, 15),
    )
    _hand_over("LAN")
    return inspection


def _long_an_teams():
    province = _unit("LAN")
    out = []
    for i, (team, codes) in enumerate(LAN_TEAMS, 1):
        inspection = inspection_actions.create_inspection(
            None,
            kind=InspectionKind.THEMATIC_INSPECTION,
            unit=province,
            team_name=team,
            title="Kiểm tra việc thực hiện Nghị quyết Trung ương 4 khóa XII và các quy định nêu "
            "gương của Đảng",
            directives=[_doc("04-NQ/TW"), _doc("08-QĐi/TW")],
            inspected_units=[_unit(c) for c in codes],
            period_from=D(2016, 10, 30),
            period_to=D(2018, 12, 31),
            work_from=D(2019, 3, 4),
            work_to=D(2019, 3, 29),
            planned_on=D(2019, 2, 1),
            note="Một trong bốn đoàn kiểm tra của Ban Thường vụ Tỉnh ủy trong tháng 3/2019.",
        )
        inspection = _walk(
            inspection,
            decision=dict(
                doc_type=DocType.DECISION,
                symbol=f"{1200 + i}-QĐ/TU",
                date=D(2019, 2, 25),
                subject=f"Quyết định thành lập {team[0].lower()}{team[1:]}",
                term="Nhiệm kỳ 2015-2020",
            ),
            announced=D(2019, 3, 4),
            self_reports=D(2019, 3, 11),
            received=D(2019, 3, 12),
            verifying=D(2019, 3, 13),
            notice=dict(
                doc_type=DocType.NOTICE,
                symbol=f"{300 + i}-TB/TU",
                date=D(2019, 4, 15),
                subject=f"Thông báo kết luận kiểm tra của {team[0].lower()}{team[1:]}",
                term="Nhiệm kỳ 2015-2020",
            ),
        )
        for part in inspection.parts.all():
            conclusion_actions.add_finding(
                None, part, kind=FindingKind.SHORTCOMING, text=LAN_SHORTCOMINGS[0]
            )
        out.append(step_actions.close_inspection(None, inspection, date=D(2019, 4, 30)))
    return out


def load_demo(stdout=None) -> bool:
    """Load the demo inspections once (after ensure_demo); False when they are already there."""
    if Inspection.objects.filter(team_name=TEAM_1355).exists():
        return False
    if not Unit.objects.filter(code="BTH").exists():  # not the demo tree
        return False
    with acting_as(None), transaction.atomic():
        _binh_thuan()
        _long_an_teams()
        _long_an_central()
    if stdout is not None:
        stdout.write(f"Đã tạo {Inspection.objects.count()} cuộc kiểm tra, giám sát.\n")
    return True
