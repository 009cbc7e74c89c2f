"""The notice of inspection conclusions (Thông báo kết luận, TB) as an issued document: who
inspected whom on what, then the strengths, the shortcomings and violations with their causes,
the remediation requests with their deadlines and the recommendations, unit by unit — the parts
the reader may see (`queries.visible_parts`). Numbered as the notice registered at the
conclusion step; before that a draft with the number left blank."""

from django.utils.formats import date_format

from trienkhai.core.dates import today
from trienkhai.documents.issued import IssuedDocument, Part, bodies_of, place_of
from trienkhai.inspections import queries
from trienkhai.inspections.models import FindingKind, InspectionKind

KIND_WORD = {
    InspectionKind.THEMATIC_INSPECTION: "kiểm tra",
    InspectionKind.THEMATIC_SUPERVISION: "giám sát",
    InspectionKind.ROUTINE_SUPERVISION: "giám sát",
}
MARKS = {1: "MẬT", 2: "TỐI MẬT", 3: "TUYỆT MẬT"}


def _d(day) -> str:
    return date_format(day, "d/m/Y") if day else "…"


def _by_unit(parts, rows_of) -> list[Part]:
    out = []
    for part in parts:
        lines = rows_of(part)
        if lines:
            out.append(Part(heading=part.unit.name, paragraphs=lines))
    return out


def _subject(word: str, title: str) -> str:
    """ "Kết luận kiểm tra việc …": the title's own "Kiểm tra" is not said twice."""
    title = title[:1].lower() + title[1:]
    return f"Kết luận {title}" if title.startswith(word) else f"Kết luận {word} {title}"


def notice_document(user, inspection) -> IssuedDocument:
    issuer = inspection.acting_body or inspection.unit
    parent_body, issuing_body = bodies_of(issuer)
    notice = inspection.notice
    word = KIND_WORD.get(inspection.kind, "kiểm tra")
    parts = list(
        queries.visible_parts(user, inspection).prefetch_related(
            "findings", "requests", "recommendations__addressed_to"
        )
    )
    names = ", ".join(p.unit.name for p in parts)
    opening = []
    decision = inspection.decision
    basis = (
        f"Thực hiện Quyết định số {decision.symbol} ngày {_d(decision.date)}, "
        if decision
        else "Thực hiện chương trình kiểm tra, giám sát, "
    )
    opening.append(
        basis
        + f"{inspection.team_name or 'đoàn ' + word} đã {word} {inspection.title[:1].lower()}"
        + f"{inspection.title[1:]} từ ngày {_d(inspection.work_from)} đến ngày "
        + f"{_d(inspection.work_extended_to or inspection.work_to)} tại: {names}."
    )
    opening.append(f"{issuing_body} thông báo kết luận như sau:")

    def findings(kinds):
        def rows(part):
            out = []
            for f in part.findings.all():
                if f.kind in kinds:
                    line = f.text
                    if f.cause:
                        line += f" Nguyên nhân: {f.cause}"
                    out.append(line)
            return out

        return rows

    def requests(part):
        return [f"{r.text} Thời hạn: {_d(r.deadline)}." for r in part.requests.all()]

    def recommendations(part):
        return [f"{r.text} (gửi {r.addressed_to.name})." for r in part.recommendations.all()]

    body = [
        Part("Ưu điểm", parts=_by_unit(parts, findings({FindingKind.STRENGTH}))),
        Part(
            "Hạn chế, khuyết điểm, vi phạm",
            parts=_by_unit(parts, findings({FindingKind.SHORTCOMING, FindingKind.VIOLATION})),
        ),
        Part("Yêu cầu khắc phục", parts=_by_unit(parts, requests)),
        Part("Kiến nghị", parts=_by_unit(parts, recommendations)),
    ]
    for part in body:
        if not part.parts:
            part.paragraphs = ["Không có."]
    level = max((d.classification for d in inspection.directives.all()), default=0)
    return IssuedDocument(
        parent_body=parent_body,
        issuing_body=issuing_body,
        type_name="THÔNG BÁO",
        subject=_subject(word, inspection.title),
        symbol=notice.symbol if notice else "",
        blank_symbol="-TB/",
        place=notice.place if notice and notice.place else place_of(issuer),
        date=notice.date if notice else today(),
        opening=opening,
        parts=body,
        recipients=[*(p.unit.name for p in parts), "Lưu Văn phòng"],
        authority=notice.authority if notice else "",
        position=notice.signer_position if notice else "",
        signer=notice.signer if notice else "",
        classification=MARKS.get(max(level, notice.classification if notice else 0), ""),
        draft=notice is None,
    )
