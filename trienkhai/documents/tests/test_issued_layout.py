"""An issued document's layout, read back: the DOCX with python-docx (each element in its cell,
its font, size, weight, slant and alignment; page and margins), and the PDF LibreOffice renders
with pypdf (where the header elements sit on the page; Vietnamese text intact)."""

import datetime
import io

from docx import Document as Docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from pypdf import PdfReader

from trienkhai.documents.issued import (
    IssuedDocument,
    Part,
    Table,
    build_docx,
    date_line,
    number_line,
)
from trienkhai.documents.pdf import render_pdf

LONG = (
    "Tổ chức 12 hội nghị học tập, quán triệt với 237 điểm cầu, 15.500 lượt người tham dự; bảo "
    "đảm nghiêm túc, thực chất, hiệu quả, phù hợp với tình hình thực tiễn của địa phương. "
) * 12


def sample(**over) -> IssuedDocument:
    fields = dict(
        parent_body="Tỉnh ủy Lâm Đồng",
        issuing_body="Ban Tổ chức",
        type_name="Báo cáo",
        subject="Sơ kết 1 năm thực hiện Kết luận số 21-KL/TW",
        symbol="12-BC/BTCTU",
        place="Lâm Đồng",
        date=datetime.date(2026, 2, 5),
        parts=[
            Part(
                "Công tác lãnh đạo, chỉ đạo",
                ["Mở đầu."],
                parts=[
                    Part("Công tác học tập, quán triệt", [LONG]),
                    Part("Ban hành văn bản", ["100% ban tổ chức cấp ủy các cấp đã ban hành."]),
                ],
            ),
            Part(
                "Kết quả",
                ["Kết quả cụ thể."],
                table=Table(["Chỉ tiêu", "Số liệu"], [["Số hội nghị", "12"]]),
            ),
        ],  # fmt: skip
        recipients=["Ban Tổ chức Trung ương", "Lưu Văn phòng"],
        authority="K/T Trưởng ban",
        position="Phó Trưởng ban",
        signer="Nguyễn Văn Hữu",
    )
    fields.update(over)
    return IssuedDocument(**fields)


def _runs_of(paragraph):
    return [r for r in paragraph.runs if r.text.strip()]


def _style(paragraph) -> tuple:
    run = _runs_of(paragraph)[0]
    return (run.font.name, run.font.size, bool(run.font.bold), bool(run.font.italic))


def test_date_and_number_lines_follow_the_rules():
    assert date_line("Lâm Đồng", datetime.date(2026, 2, 5)) == "Lâm Đồng, ngày 05 tháng 02 năm 2026"
    assert date_line("Hà Nội", datetime.date(2025, 11, 17)) == "Hà Nội, ngày 17 tháng 11 năm 2025"
    assert number_line(sample()) == "Số 12-BC/BTCTU"  # no colon in a Party document
    assert number_line(sample(system="state", symbol="68/NQ-HĐND")) == "Số: 68/NQ-HĐND"
    assert number_line(sample(symbol="", blank_symbol="-BC/BTCTU")).endswith("-BC/BTCTU")


def test_the_docx_puts_every_element_in_its_place_and_type():
    docx = Docx(io.BytesIO(build_docx(sample())))
    section = docx.sections[0]
    mm = lambda length: round(length.mm, 1)  # noqa: E731 - stored in twips
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (20, 20)
    assert (mm(section.left_margin), mm(section.right_margin)) == (30, 15)
    assert section.different_first_page_header_footer  # page numbers from page 2
    assert "PAGE" in section.header._element.xml
    header, *rest = docx.tables
    left, right = header.rows[0].cells
    texts = [p.text for p in left.paragraphs]
    assert texts == ["TỈNH ỦY LÂM ĐỒNG", "BAN TỔ CHỨC", "*", "Số 12-BC/BTCTU"]
    assert _style(left.paragraphs[0]) == ("Times New Roman", Pt(14), False, False)
    assert _style(left.paragraphs[1]) == ("Times New Roman", Pt(14), True, False)
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in left.paragraphs)
    title = right.paragraphs[0]
    assert title.text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert _style(title) == ("Times New Roman", Pt(15), True, False)
    assert _runs_of(title)[0].font.underline  # the rule as long as the words
    place = next(p for p in right.paragraphs if p.text.startswith("Lâm Đồng"))
    assert place.text == "Lâm Đồng, ngày 05 tháng 02 năm 2026"
    assert _style(place) == ("Times New Roman", Pt(14), False, True)
    # below the header: the type name and the subject, centred and bold
    body = [p for p in docx.paragraphs if p.text.strip()]
    type_name, subject = body[0], body[1]
    assert type_name.text == "BÁO CÁO" and type_name.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert _style(type_name) == ("Times New Roman", Pt(16), True, False)
    assert subject.text.startswith("Sơ kết") and _style(subject)[2]
    # the numbered body: I, 1, 2, II; justified, first line indented
    headings = [p.text for p in body if p.runs and p.runs[0].font.bold][2:]
    assert headings[:4] == [
        "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO",
        "1. Công tác học tập, quán triệt",
        "2. Ban hành văn bản",
        "II. KẾT QUẢ",
    ]
    text = next(p for p in body if p.text.startswith("Tổ chức 12"))
    assert text.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY and text.paragraph_format.first_line_indent
    assert rest[0].rows[1].cells[1].text == "12"
    # bottom: "Nơi nhận:" left (underlined), the list in 12 pt; the signature right
    recipients, signature = rest[-1].rows[0].cells
    head = recipients.paragraphs[0]
    assert head.text == "Nơi nhận:" and _runs_of(head)[0].font.underline
    assert [p.text for p in recipients.paragraphs[1:]] == [
        "- Ban Tổ chức Trung ương",
        "- Lưu Văn phòng",
    ]
    assert _runs_of(recipients.paragraphs[1])[0].font.size == Pt(12)
    lines = [p.text for p in signature.paragraphs if p.text]
    assert lines == ["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Nguyễn Văn Hữu"]
    assert all(_style(p)[2] for p in signature.paragraphs if p.text)


def test_marks_and_draft():
    docx = Docx(io.BytesIO(build_docx(sample(classification="MẬT", draft=True, symbol=""))))
    assert docx.paragraphs[0].text == "DỰ THẢO"
    left = docx.tables[0].rows[0].cells[0]
    mark = next(p for p in left.paragraphs if p.text == "MẬT")
    assert "w:pBdr" in mark._p.xml and _style(mark)[2]
    assert left.paragraphs[3].text.startswith("Số ") and left.paragraphs[3].text.endswith("-BC/")


def _positions(pdf: bytes):
    """(text, x, y) of each text piece on every page (y from the page's bottom)."""
    out = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):

        def visit(text, cm, tm, font, size, number=number):
            if text.strip():
                out.append((number, text.strip(), tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

        page.extract_text(visitor_text=visit)
    return out


def _find(pieces, start):
    return next(p for p in pieces if p[1].startswith(start))


def test_the_pdf_keeps_the_layout_and_the_vietnamese_text():
    pdf = render_pdf(build_docx(sample()))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2  # the long text runs onto page 2
    text = "\n".join(page.extract_text() for page in reader.pages)
    for words in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Lâm Đồng, ngày 05 tháng 02 năm 2026",
        "Số 12-BC/BTCTU",
        "BÁO CÁO",
        "100% ban tổ chức cấp ủy các cấp đã ban hành.",
        "Nguyễn Văn Hữu",
        "Nơi nhận:",
    ):
        assert words in text, words
    assert "\ufffd" not in text
    pieces = _positions(pdf)
    width = float(reader.pages[0].mediabox.width)
    body, party = _find(pieces, "BAN TỔ CHỨC"), _find(pieces, "ĐẢNG CỘNG SẢN")
    assert body[0] == party[0] == 0
    assert body[2] < width / 2 < party[2] + 100  # issuing body left, Party title right
    assert abs(body[3] - party[3]) < 20  # on the same band of the header
    kind = _find(pieces, "BÁO CÁO")
    assert kind[3] < body[3] - 40  # the type name below the header
    assert abs(kind[2] - (width / 2 - 30)) < 60  # about the middle of the page
    received = _find(pieces, "Nơi nhận")
    assert received[2] < width / 3 and received[0] == len(reader.pages) - 1
    # page numbers from page 2: "2" printed at the top of the second page
    top_of_two = [p for p in pieces if p[0] == 1 and p[1] == "2"]
    assert top_of_two and top_of_two[0][3] > float(reader.pages[1].mediabox.height) - 80


def test_the_place_is_the_committees_place_name():
    from types import SimpleNamespace as Unit

    from trienkhai.documents.issued import place_of

    province = Unit(name="Tỉnh ủy Lâm Đồng", is_support=False, parent=None)
    commission = Unit(name="Ủy ban Kiểm tra Tỉnh ủy Lâm Đồng", is_support=True, parent=province)
    commune = Unit(name="Đảng ủy xã Tuy Phong", is_support=False, parent=province)
    assert place_of(province) == "Lâm Đồng" and place_of(commission) == "Lâm Đồng"
    assert place_of(commune) == "Tuy Phong"
