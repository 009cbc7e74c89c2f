"""A unit's report as the document it issues (BC): its header from the unit, its body from the
outline sections' texts, its figures as a table, its signature and recipients as set when it
was issued. Before it is issued the number is left blank and the page says DỰ THẢO."""

import re

from django.utils.text import slugify

from trienkhai.core.dates import today
from trienkhai.documents.issued import IssuedDocument, Part, Table, bodies_of, place_of
from trienkhai.reports.models import UnitReport
from trienkhai.reports.numbers import figure_text

ROMAN = re.compile(r"^[IVXLC]+$")
MARKS = {1: "MẬT", 2: "TỐI MẬT", 3: "TUYỆT MẬT"}


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def _outline(texts) -> list[Part]:
    """Sections nest by their numbers: roman at the top, then digits, then letters."""
    top: list[Part] = []
    current_top = current_mid = None
    for t in texts:
        number = t.section.number.strip().rstrip(".")
        part = Part(heading=t.section.title, paragraphs=_paragraphs(t.text), number=number)
        if ROMAN.match(number) or current_top is None:
            top.append(part)
            current_top, current_mid = part, None
        elif number.isdigit() or current_mid is None:
            current_top.parts.append(part)
            current_mid = part
        else:
            current_mid.parts.append(part)
    return top


def _figures(report: UnitReport) -> Part | None:
    values = list(report.figures.select_related("indicator").order_by("indicator__order"))
    if not values:
        return None
    rows = []
    for v in values:
        written = v.value
        line = [f"{v.indicator.label}", v.indicator.measure, figure_text(written)]
        if v.overridden or (v.indicator.check_against and v.computed is not None):
            line.append(figure_text(v.computed))
        else:
            line.append("")
        rows.append(line)
    header = ["Chỉ tiêu", "Đơn vị tính", "Số liệu", "Dữ liệu hệ thống"]
    number = "Phụ lục"
    return Part(heading="Số liệu thống kê", table=Table(header, rows), number=number)


def subject_of(title: str) -> str:
    """The trích yếu under "BÁO CÁO": the request's title without a leading "Báo cáo"."""
    rest = re.sub(r"^\s*báo cáo\s+", "", title, flags=re.IGNORECASE)
    return rest[:1].upper() + rest[1:] if rest else title


def issued_document(report: UnitReport) -> IssuedDocument:
    unit = report.unit
    parent_body, issuing_body = bodies_of(unit)
    doc = report.document
    texts = list(report.texts.select_related("section").order_by("section__order", "id"))
    parts = _outline(texts)
    figures = _figures(report)
    if figures is not None:
        parts.append(figures)
    level = max((d.classification for d in report.request.directives.all()), default=0)
    recipients = [line.strip() for line in (report.recipients or "").splitlines() if line.strip()]
    if not recipients:
        recipients = [] if report.own else [report.request.unit.name]
        recipients.append("Lưu Văn phòng")
    return IssuedDocument(
        parent_body=parent_body,
        issuing_body=issuing_body,
        type_name="BÁO CÁO",
        subject=subject_of(report.request.title),
        symbol=doc.symbol if doc else "",
        blank_symbol="-BC/",
        place=doc.place if doc and doc.place else place_of(unit),
        date=doc.date if doc else today(),
        parts=parts,
        recipients=recipients,
        authority=report.authority or (doc.authority if doc else ""),
        position=report.position,
        signer=report.signer,
        classification=MARKS.get(level, ""),
        draft=doc is None,
    )


def filename(report: UnitReport, ext: str) -> str:
    symbol = report.document.symbol if report.document_id else "du-thao"
    return f"bao-cao-{slugify(symbol) or report.pk}-{slugify(report.unit.code)}.{ext}"
