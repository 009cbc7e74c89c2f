"""The documents an office issues, laid out as a Party document (Hướng dẫn 36-HD/VPTW, see
REPORTS.md §2), written as DOCX.

A plain description (`IssuedDocument`) is filled by the app that issues — a report (BC), a plan
(KH), a notice of inspection conclusions (TB) — and `build_docx` lays it out: A4 portrait, Times
New Roman; the two-column header (parent body, issuing body, a star and "Số 12-BC/ĐU" on the
left; "ĐẢNG CỘNG SẢN VIỆT NAM" underlined and the italic place-and-date line on the right); the
type name and the subject centred; the numbered body (I, II … then 1, 2 … then a, b …);
"Nơi nhận:" bottom left and the signature block bottom right; page numbers from page 2. The
measures the guide leaves to verify (margins, sizes) are the constants below, one place to
change them.
"""

import datetime
import io
from dataclasses import dataclass, field

from docx import Document as Docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt

FONT = "Times New Roman"
PAGE = (Mm(210), Mm(297))
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
HEADER_LEFT_WIDTH = Mm(75)
HEADER_RIGHT_WIDTH = Mm(90)
SIZE_BODY = Pt(14)
SIZE_TITLE = Pt(15)
SIZE_TYPE = Pt(16)
SIZE_RECIPIENTS = Pt(12)
SIZE_TABLE = Pt(12)
FIRST_LINE = Cm(1.27)
NO_SPACE = Pt(0)
MARK_INDENT = Mm(20)  # a mark's frame hugs the word in the middle of the left column
PARTY_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"
STATE_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
STATE_MOTTO = "Độc lập - Tự do - Hạnh phúc"
# What a support body prints as the issuing body under its committee's name.
SUPPORT_NAMES = {
    "office": "Văn phòng",
    "org_commission": "Ban Tổ chức",
    "inspection_commission": "Ủy ban Kiểm tra",
    "propaganda_commission": "Ban Tuyên giáo và Dân vận",
}
TABLE_FIRST = Mm(75)  # the label column of a table in the body; the others share the rest
TABLE_WIDTH = Mm(165)
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]


@dataclass
class Part:
    """A numbered part of the body: its heading, paragraphs, an optional table, its sub-parts.
    `number` as printed ("I", "1", "a"); empty: numbered by position and depth."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    parts: list["Part"] = field(default_factory=list)
    table: Table | None = None
    number: str = ""


@dataclass
class IssuedDocument:
    issuing_body: str
    type_name: str  # BÁO CÁO, KẾ HOẠCH, THÔNG BÁO
    subject: str  # trích yếu
    symbol: str = ""  # "12-BC/ĐU"; empty: a draft with the number left blank
    blank_symbol: str = "-BC/"  # what a draft prints after "Số" when `symbol` is empty
    parent_body: str = ""
    place: str = ""
    date: datetime.date | None = None
    opening: list[str] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    authority: str = ""  # T/M BAN THƯỜNG VỤ, K/T BÍ THƯ, T/L …
    position: str = ""
    signer: str = ""
    classification: str = ""  # MẬT, TỐI MẬT, TUYỆT MẬT
    urgency: str = ""  # KHẨN, THƯỢNG KHẨN, HỎA TỐC
    draft: bool = False
    system: str = "party"  # or "state": the national motto and "Số:" with a colon


def bodies_of(unit) -> tuple[str, str]:
    """(parent body, issuing body) of a unit's documents: a support body prints its committee
    above its own short name ("TỈNH ỦY LÂM ĐỒNG" / "BAN TỔ CHỨC"); a committee prints the
    committee above it, except under the centre."""
    parent = unit.parent
    if unit.is_support and parent is not None:
        own = unit.name.replace(parent.name, "").strip()
        if not own or own == unit.name:
            own = SUPPORT_NAMES.get(unit.kind, unit.name)
        return parent.name, own
    if parent is not None and parent.parent_id is not None:
        return parent.name, unit.name
    return "", unit.name


COMMITTEE_WORDS = ("Thành ủy ", "Tỉnh ủy ", "Đảng ủy ", "Huyện ủy ", "Quận ủy ", "Thị ủy ")


def place_of(unit) -> str:
    """The place a unit's documents are dated at: its committee's name without the committee
    word ("Tỉnh ủy Lâm Đồng" → "Lâm Đồng"; a support body takes its committee's)."""
    committee = unit.parent if unit.is_support and unit.parent is not None else unit
    name = committee.name
    for word in COMMITTEE_WORDS:
        if name.startswith(word):
            name = name[len(word) :]
            break
    for word in ("xã ", "phường ", "đặc khu "):
        if name.startswith(word):
            return name[len(word) :]
    return name


def date_line(place: str, day: datetime.date | None) -> str:
    """ "Lâm Đồng, ngày 05 tháng 02 năm 2026": days below 10 and months 1–2 with a zero."""
    if day is None:
        return f"{place}, ngày     tháng     năm" if place else "ngày     tháng     năm"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text.capitalize()


def number_line(doc: IssuedDocument) -> str:
    colon = ":" if doc.system == "state" else ""
    if doc.symbol:
        return f"Số{colon} {doc.symbol}"
    return f"Số{colon}       {doc.blank_symbol}"


# --- low-level formatting --------------------------------------------------------------------


def _font(run, size, *, bold=False, italic=False, underline=False) -> None:
    run.font.name = FONT
    run.font.size = size
    run.font.bold = bold
    run.font.italic = italic
    run.font.underline = underline
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _para(container, text, size=SIZE_BODY, *, align=WD_ALIGN_PARAGRAPH.CENTER, bold=False,
          italic=False, underline=False, indent=None, after=NO_SPACE):  # fmt: skip
    p = container.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = after
    p.paragraph_format.space_before = Pt(0)
    if indent is not None:
        p.paragraph_format.first_line_indent = indent
    if text:
        _font(p.add_run(text), size, bold=bold, italic=italic, underline=underline)
    return p


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def _framed(paragraph) -> None:
    """A box around a mark (MẬT, KHẨN), as the guide frames it."""
    ppr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    for edge in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "8")
        el.set(qn("w:space"), "1")
        el.set(qn("w:color"), "000000")
        bdr.append(el)
    ppr.append(bdr)


def _two_columns(document, left=HEADER_LEFT_WIDTH, right=HEADER_RIGHT_WIDTH):
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    # Writers read the column widths from the grid (LibreOffice) or from the cells (Word).
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), (left, right), strict=True):
        col.set(qn("w:w"), str(int(width.twips)))
    for cell, width in zip(table.rows[0].cells, (left, right), strict=True):
        cell.width = width
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return table.rows[0].cells


def _page_numbers(section) -> None:
    """The page number at the top, centred, from page 2 (the first page's header is empty)."""
    section.different_first_page_header_footer = True
    header = section.header
    p = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    _font(run, SIZE_BODY)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    section.header_distance = Mm(10)


# --- the parts of the page -------------------------------------------------------------------


def _header(document, doc: IssuedDocument) -> None:
    if doc.draft:
        _para(document, "DỰ THẢO", SIZE_BODY, align=WD_ALIGN_PARAGRAPH.RIGHT, bold=True)
    left, right = _two_columns(document)
    if doc.parent_body:
        _para(left, doc.parent_body.upper(), SIZE_BODY)
    _para(left, doc.issuing_body.upper(), SIZE_BODY, bold=True)
    _para(left, "*", SIZE_BODY)
    _para(left, number_line(doc), SIZE_BODY)
    for mark in (doc.classification, doc.urgency):
        if mark:
            p = _para(left, mark.upper(), SIZE_BODY, bold=True, after=Pt(3))
            p.paragraph_format.left_indent = p.paragraph_format.right_indent = MARK_INDENT
            _framed(p)
    if doc.system == "state":
        _para(right, STATE_TITLE, Pt(13), bold=True)
        _para(right, STATE_MOTTO, SIZE_BODY, bold=True, underline=True)
    else:
        _para(right, PARTY_TITLE, SIZE_TITLE, bold=True, underline=True)
    _para(right, "", SIZE_BODY)
    _para(right, date_line(doc.place, doc.date), SIZE_BODY, italic=True)


def _title(document, doc: IssuedDocument) -> None:
    _para(document, "", SIZE_BODY)
    _para(document, doc.type_name.upper(), SIZE_TYPE, bold=True, after=Pt(3))
    _para(document, doc.subject, SIZE_BODY, bold=True)
    _para(document, "-----", SIZE_BODY, after=Pt(12))


def _body_paragraph(document, text: str) -> None:
    for line in [t.strip() for t in text.splitlines()] or [""]:
        if line:
            _para(document, line, SIZE_BODY, align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                  indent=FIRST_LINE, after=Pt(6))  # fmt: skip


def _number(part: Part, depth: int, index: int) -> str:
    if part.number:
        return part.number
    if depth == 0:
        return ROMAN[index] if index < len(ROMAN) else str(index + 1)
    if depth == 1:
        return str(index + 1)
    return "abcdefghijklmnopqrstuvwxyz"[index % 26]


def _widths(grid, widths) -> None:
    for col, width in zip(grid._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(width.twips)))
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _keep_together(row) -> None:
    """A row that does not break across pages (the signature block stays whole)."""
    props = row._tr.get_or_add_trPr()
    props.append(OxmlElement("w:cantSplit"))


def _table(document, table: Table) -> None:
    grid = document.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(text), SIZE_TABLE, bold=True)
    for row in table.rows:
        cells = grid.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.paragraphs[0].alignment = (
                WD_ALIGN_PARAGRAPH.LEFT if index == 0 else WD_ALIGN_PARAGRAPH.RIGHT
            )
            _font(cell.paragraphs[0].add_run(str(text)), SIZE_TABLE)
    others = len(table.header) - 1
    if others > 0:
        rest = int((TABLE_WIDTH - TABLE_FIRST) / others)
        _widths(grid, [TABLE_FIRST, *[Emu(rest)] * others])
    _para(document, "", SIZE_BODY)


def _parts(document, parts: list[Part], depth: int = 0) -> None:
    for index, part in enumerate(parts):
        number = _number(part, depth, index)
        if depth == 0:
            heading, style = f"{number}. {part.heading.upper()}", {"bold": True}
        elif depth == 1:
            heading, style = f"{number}. {part.heading}", {"bold": True}
        else:
            heading, style = f"{number}) {part.heading}", {"bold": True, "italic": True}
        _para(document, heading, SIZE_BODY, align=WD_ALIGN_PARAGRAPH.JUSTIFY,
              indent=FIRST_LINE, after=Pt(6), **style)  # fmt: skip
        for text in part.paragraphs:
            _body_paragraph(document, text)
        if part.table is not None:
            _table(document, part.table)
        _parts(document, part.parts, depth + 1)


def _signature(document, doc: IssuedDocument) -> None:
    _para(document, "", SIZE_BODY)
    left, right = _two_columns(document, Mm(80), Mm(85))
    _keep_together(document.tables[-1].rows[0])
    _para(left, "Nơi nhận:", SIZE_BODY, align=WD_ALIGN_PARAGRAPH.LEFT, bold=True,
          italic=True, underline=True)  # fmt: skip
    for line in doc.recipients:
        text = line if line.startswith("-") else f"- {line}"
        _para(left, text, SIZE_RECIPIENTS, align=WD_ALIGN_PARAGRAPH.LEFT)
    if doc.authority:
        _para(right, doc.authority.upper(), SIZE_BODY, bold=True)
    if doc.position:
        _para(right, doc.position.upper(), SIZE_BODY, bold=True)
    for _blank in range(4):
        _para(right, "", SIZE_BODY)
    if doc.signer:
        _para(right, doc.signer, SIZE_BODY, bold=True)


def build_docx(doc: IssuedDocument) -> bytes:
    document = Docx()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = SIZE_BODY
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)
    _page_numbers(section)
    body = document.paragraphs[0]._p if document.paragraphs else None
    if body is not None:
        body.getparent().remove(body)
    _header(document, doc)
    _title(document, doc)
    for text in doc.opening:
        _body_paragraph(document, text)
    _parts(document, doc.parts)
    for text in doc.closing:
        _body_paragraph(document, text)
    _signature(document, doc)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
