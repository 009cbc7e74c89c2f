"""Parse and format Vietnamese document numbers ("số và ký hiệu").

Three printed shapes exist, and the shape tells which system issued the document:

* Party: ``number-TYPE/ISSUER`` — ``21-KL/TW``, ``08-QĐi/TW``, joint ``05-QC/BTCTU-BDVTU``.
* State, administrative: ``number/TYPE-ISSUER`` — ``68/NQ-HĐND``, ``283/KH-UBND``.
* State, normative: ``number/YEAR/TYPE-ISSUER`` — ``30/2020/NĐ-CP``, ``01/2011/TT-BNV``.

Two State shapes print no type at all, and we give them one so that every document has a type:

* Official letters (công văn) print ``number/ISSUER-UNIT`` (``1234/UBND-VX``): type ``CV``, issuer
  ``UBND-VX`` (the drafting unit stays joined to the issuer, like a joint issuer).
* Laws, ordinances and resolutions of the National Assembly and its Standing Committee print
  ``number/YEAR/QHnn`` (``57/2014/QH13``): the issuer is the legislature with its term. The type
  comes from the caller's hint (the type word before the number, "Nghị quyết" → ``NQ``); without a
  hint ``QH`` defaults to ``L`` (Luật) and ``UBTVQH`` to ``PL`` (Pháp lệnh). Such numbers always
  print without the type.

Real text is messy, so parsing tolerates any dash kind and spaces around the hyphen, "TƯ"/"TU'" for
TW, a missing slash ("21-KLTW", split against the known types), any letter case, NFD input and the
look-alike "Ð" (U+00D0). Types must be known (``TYPE_NAMES``); issuers are open-ended because every
province's bodies have their own codes, so an unknown issuer made of letters and digits is accepted.

The tables are plain module-level dicts so that deployments can extend them; lookups read them at
call time.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

PARTY = "party"
STATE = "state"

# Abbreviation -> Vietnamese name(s). Order matters: the first abbreviation that lists a name is
# that name's default in TYPE_BY_NAME ("Quy định" -> QĐ, "Chương trình hành động" -> CTr).
TYPE_NAMES: dict[str, str | tuple[str, ...]] = {
    "NQ": "Nghị quyết",
    "KL": "Kết luận",
    "CT": "Chỉ thị",
    "QĐ": ("Quyết định", "Quy định"),
    "QĐi": "Quy định",
    "QyĐ": "Quy định",
    "QC": "Quy chế",
    "TT": ("Thông tri", "Thông tư"),
    "HD": "Hướng dẫn",
    "TB": ("Thông báo", "Thông báo kết luận"),
    "BC": "Báo cáo",
    "KH": "Kế hoạch",
    "CTr": ("Chương trình", "Chương trình hành động"),
    "CTHĐ": "Chương trình hành động",
    "TTr": "Tờ trình",
    "CV": "Công văn",
    "ĐA": "Đề án",
    "PA": "Phương án",
    "DA": "Dự án",
    "BB": "Biên bản",
    "NĐ": "Nghị định",
    "NQLT": "Nghị quyết liên tịch",
    "TTLT": "Thông tư liên tịch",
    "L": ("Luật", "Bộ luật"),
    "PL": "Pháp lệnh",
    "TC": "Thông cáo",
    "CĐ": "Công điện",
    "HĐ": "Hợp đồng",
    "GM": "Giấy mời",
}


def _names(abbr: str) -> tuple[str, ...]:
    value = TYPE_NAMES[abbr]
    return (value,) if isinstance(value, str) else value


def _build_type_by_name() -> dict[str, str]:
    result: dict[str, str] = {}
    for abbr in TYPE_NAMES:
        for name in _names(abbr):
            result.setdefault(name, abbr)
    return result


# Vietnamese type word -> default abbreviation ("Nghị định" -> NĐ).
# Rebuild it with _build_type_by_name() after extending TYPE_NAMES.
TYPE_BY_NAME: dict[str, str] = _build_type_by_name()

# Known issuer codes -> the body behind them. Open-ended: unknown codes are accepted (see above).
ISSUER_NAMES: dict[str, str] = {
    "TW": "Trung ương Đảng (Ban Chấp hành, Bộ Chính trị, Ban Bí thư)",
    "VPTW": "Văn phòng Trung ương Đảng",
    "BTCTW": "Ban Tổ chức Trung ương",
    "UBKTTW": "Ủy ban Kiểm tra Trung ương",
    "BTGDVTW": "Ban Tuyên giáo và Dân vận Trung ương",
    "BTGTW": "Ban Tuyên giáo Trung ương",
    "BDVTW": "Ban Dân vận Trung ương",
    "BNCTW": "Ban Nội chính Trung ương",
    "BKTTW": "Ban Kinh tế Trung ương",
    "BĐNTW": "Ban Đối ngoại Trung ương",
    "BCĐTW": "Ban Chỉ đạo Trung ương",
    "ĐUQSTW": "Đảng ủy Quân sự Trung ương",
    "QUTW": "Quân ủy Trung ương",
    "ĐUCA": "Đảng ủy Công an Trung ương",
    "TU": "Tỉnh ủy, Thành ủy trực thuộc Trung ương",
    "HU": "Huyện ủy",
    "QU": "Quận ủy",
    "ĐU": "Đảng ủy",
    "ĐUK": "Đảng ủy Khối",
    "CB": "Chi bộ",
    "BCSĐ": "Ban cán sự đảng",
    "ĐĐ": "Đảng đoàn",
    "VPTU": "Văn phòng Tỉnh ủy",
    "BTCTU": "Ban Tổ chức Tỉnh ủy",
    "BTGTU": "Ban Tuyên giáo Tỉnh ủy",
    "BDVTU": "Ban Dân vận Tỉnh ủy",
    "BTGDVTU": "Ban Tuyên giáo và Dân vận Tỉnh ủy",
    "BNCTU": "Ban Nội chính Tỉnh ủy",
    "UBKTTU": "Ủy ban Kiểm tra Tỉnh ủy",
    "QH": "Quốc hội",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "CP": "Chính phủ",
    "TTg": "Thủ tướng Chính phủ",
    "VPCP": "Văn phòng Chính phủ",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "BNV": "Bộ Nội vụ",
    "BTC": "Bộ Tài chính",
    "BCA": "Bộ Công an",
    "BQP": "Bộ Quốc phòng",
    "BTP": "Bộ Tư pháp",
    "BYT": "Bộ Y tế",
    "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "BCT": "Bộ Công Thương",
    "BXD": "Bộ Xây dựng",
    "BKHCN": "Bộ Khoa học và Công nghệ",
    "BNNMT": "Bộ Nông nghiệp và Môi trường",
    "NHNN": "Ngân hàng Nhà nước",
    "TTCP": "Thanh tra Chính phủ",
    "KTNN": "Kiểm toán Nhà nước",
}

# Issuers that print without a type: the legislature with its term number ("QH13", "UBTVQH15").
LEGISLATURE_DEFAULT_TYPES: dict[str, str] = {"QH": "L", "UBTVQH": "PL"}

# One-for-one character repairs (length-preserving, so callers can keep offsets): dash and slash
# look-alikes, non-breaking and thin spaces, the Icelandic eth and African D printed for Đ/đ.
CHAR_FIXES = str.maketrans(
    {
        **dict.fromkeys("‐‑‒–—―−﹣－", "-"),
        **dict.fromkeys("⁄∕／", "/"),
        **dict.fromkeys("\u00a0\u2007\u2009\u200a\u202f\u3000", " "),
        "’": "'",
        "\u00d0": "Đ",
        "\u0189": "Đ",
        "\u00f0": "đ",
        "\u0256": "đ",
    }
)

_LEADING_SO = re.compile(r"^\s*số\s*:?\s*", re.IGNORECASE)
_SHAPE = re.compile(r"^(?P<num>[^-/\s]*)\s*(?P<sep>[-/]|\s+)\s*(?P<rest>.*)$", re.DOTALL)
_YEAR_FIRST = re.compile(r"^(?P<year>[^-/\s]+)\s*/\s*(?P<rest>.*)$", re.DOTALL)
_SEGMENT = re.compile(r"^[^\W\d_][^\W_]*$")
_LEGISLATURE = re.compile(r"^(?P<body>UBTVQH|QH)\d{0,2}$")
_TW_SUFFIX = re.compile(r"(TƯ|TU')$")
_HYPHEN = re.compile(r"\s*-\s*")


class InvalidDocumentNumber(ValueError):
    """A number-and-symbol that cannot be read; ``part`` names what is wrong, for the user's fix."""

    def __init__(self, text: str, part: str, detail_vi: str, detail_en: str):
        self.text = text
        self.part = part
        self.message = f'Số văn bản "{text}" không hợp lệ: {detail_vi}'
        self.message_en = f'Document number "{text}" is invalid: {detail_en}'
        super().__init__(self.message)


def clean(text: str) -> str:
    """NFC-normalise and repair look-alike characters, as every reader of numbers must."""
    return unicodedata.normalize("NFC", text).translate(CHAR_FIXES)


def _lookup(word: str, table) -> str | None:
    """The table's own spelling of ``word``: exact, else ignoring case, else reading a D typed for
    Đ ("ND-CP", "HDND") when that fits one entry only. The tables are small."""
    if word in table:
        return word
    folded = word.casefold()
    found = next((key for key in table if key.casefold() == folded), None)
    if found is None:
        plain = [key for key in table if _fold_d(key) == _fold_d(word)]
        found = plain[0] if len(plain) == 1 else None
    return found


def _fold_d(word: str) -> str:
    return word.casefold().replace("đ", "d")


def normalise_type(abbr: str) -> str | None:
    """Canonical type abbreviation ("qđi" -> "QĐi"), or None when the type is unknown."""
    return _lookup(clean(abbr).strip(), TYPE_NAMES)


def type_names(abbr: str) -> tuple[str, ...]:
    """All Vietnamese names of a known abbreviation (QĐ is both Quyết định and Quy định)."""
    return _names(abbr)


def lookup_type_name(word: str) -> str | None:
    """Default abbreviation of a Vietnamese type word in any case or spacing ("KẾT LUẬN" -> KL)."""
    words = " ".join(clean(word).split())
    return TYPE_BY_NAME.get(_lookup(words, TYPE_BY_NAME) or "")


def types_named(word: str) -> set[str]:
    """Every abbreviation a type word may stand for ("Quy định" -> {QĐ, QĐi, QyĐ})."""
    folded = " ".join(clean(word).split()).casefold()
    return {a for a in TYPE_NAMES if any(n.casefold() == folded for n in _names(a))}


def normalise_issuer_segment(segment: str) -> str | None:
    """Canonical code of one issuer segment ("tư" -> TW, "ttg" -> TTg), None if not code-shaped."""
    seg = clean(segment).strip()
    known = _lookup(seg, ISSUER_NAMES)
    if known:
        return known
    seg = _TW_SUFFIX.sub("TW", seg.upper())
    known = _lookup(seg, ISSUER_NAMES)
    if known:
        return known
    return seg if _SEGMENT.match(seg) else None


def is_known_issuer(segment: str) -> bool:
    """True for a listed code or a legislature code, in any case or spelling of TW."""
    code = normalise_issuer_segment(segment)
    return code is not None and (code in ISSUER_NAMES or legislature_type(code) is not None)


def legislature_type(issuer: str) -> str | None:
    """Default type of a legislature issuer ("QH13" -> L), None for any other issuer."""
    match = _LEGISLATURE.match(issuer)
    return LEGISLATURE_DEFAULT_TYPES[match["body"]] if match else None


@dataclass(frozen=True)
class DocumentNumber:
    """One number-and-symbol; identifies a document only together with its term or date."""

    number: str
    type: str
    issuer: str
    system: str = PARTY
    year: int | None = None

    def format(self) -> str:
        return format_symbol(self.number, self.type, self.issuer, self.system, self.year)

    def __str__(self) -> str:
        return self.format()


def format_symbol(number: str, type: str, issuer: str, system: str, year: int | None = None) -> str:
    """Canonical print: ``21-KL/TW``, ``68/NQ-HĐND``, ``30/2020/NĐ-CP``, ``1234/UBND-VX``."""
    src = f"{number} {type} {issuer}"
    doc = _validated(src, str(number), type, issuer, system, year)
    if doc.system == PARTY:
        return f"{doc.number}-{doc.type}/{doc.issuer}"
    head = f"{doc.number}/{doc.year}" if doc.year is not None else doc.number
    if _prints_without_type(doc.type, doc.issuer, doc.year):
        return f"{head}/{doc.issuer}"
    return f"{head}/{doc.type}-{doc.issuer}"


def _prints_without_type(type: str, issuer: str, year: int | None) -> bool:
    return type == "CV" or (year is not None and legislature_type(issuer) is not None)


def parse_symbol(text: str, *, type_hint: str | None = None) -> DocumentNumber:
    """Read one whole number-and-symbol; ``type_hint`` types the shapes that print no type."""
    src = text
    body = _LEADING_SO.sub("", clean(text)).strip()
    match = _SHAPE.match(body)
    if not body or not match:
        _fail(
            src,
            "format",
            "không đúng mẫu 21-KL/TW, 68/NQ-HĐND hoặc 30/2020/NĐ-CP.",
            "it does not follow 21-KL/TW, 68/NQ-HĐND or 30/2020/NĐ-CP.",
        )
    number, rest = match["num"], match["rest"].strip()
    _check_number(src, number)
    if match["sep"] == "/":
        return _parse_state(src, number, rest, type_hint)
    return _parse_party(src, number, rest)


def _parse_party(src: str, number: str, rest: str) -> DocumentNumber:
    type_part, slash, issuer_part = rest.partition("/")
    if not slash:
        type_part, issuer_part = split_run(src, rest.replace(" ", ""))
    return _validated(src, number, type_part.strip(), issuer_part.strip(), PARTY, None)


def _parse_state(src: str, number: str, rest: str, type_hint: str | None) -> DocumentNumber:
    year = None
    year_match = _YEAR_FIRST.match(rest)
    if year_match and year_match["year"][:1].isdigit():
        year, rest = _check_year(src, year_match["year"]), year_match["rest"].strip()
    segments = [s for s in _HYPHEN.split(rest) if s] if rest else []
    if not segments:
        _missing_type(src)
    first = segments[0]
    issuer_only = "-".join(segments)
    default = legislature_type(first.upper())
    if default and year is not None and len(segments) == 1:
        # A letter (CV) never carries a legislature's number, so that hint is no type here.
        hint = type_hint if type_hint not in (None, "CV") else default
        return _validated(src, number, hint, first, STATE, year)
    if normalise_type(first) is None and (type_hint == "CV" or is_known_issuer(first)):
        return _validated(src, number, "CV", issuer_only, STATE, year)
    return _validated(src, number, first, "-".join(segments[1:]), STATE, year)


def split_run(src: str, run: str) -> tuple[str, str]:
    """Split a slashless "KLTW" into type and issuer, preferring a known issuer remainder."""
    candidates = []
    longest = max(len(abbr) for abbr in TYPE_NAMES)
    for cut in range(1, min(len(run.partition("-")[0]), longest) + 1):
        abbr = normalise_type(run[:cut])
        if abbr:
            remainder = run[cut:]
            known = bool(remainder) and all(is_known_issuer(s) for s in remainder.split("-"))
            candidates.append((known, cut, abbr, remainder))
    if not candidates:
        _fail(
            src,
            "type",
            f'loại văn bản "{run}" không được nhận biết (ví dụ KL, NQ, QĐ).',
            f'the document type "{run}" is not recognised (e.g. KL, NQ, QĐ).',
        )
    _, _, abbr, remainder = max(candidates)
    return abbr, remainder


def _validated(src, number, type, issuer, system, year) -> DocumentNumber:
    _check_number(src, number)
    if system not in (PARTY, STATE):
        _fail(
            src,
            "format",
            f'hệ thống "{system}" phải là party hoặc state.',
            f'the system "{system}" must be party or state.',
        )
    if not type:
        _missing_type(src)
    abbr = normalise_type(type)
    if abbr is None:
        _fail(
            src,
            "type",
            f'loại văn bản "{type}" không được nhận biết (ví dụ KL, NQ, QĐ).',
            f'the document type "{type}" is not recognised (e.g. KL, NQ, QĐ).',
        )
    if year is not None:
        year = _check_year(src, str(year))
        if system == PARTY:
            _fail(
                src,
                "year",
                f'năm "{year}" không được ghi trong số văn bản của Đảng.',
                f'the year "{year}" is not printed in a Party document number.',
            )
    return DocumentNumber(number, abbr, _check_issuer(src, issuer), system, year)


def _check_number(src: str, number: str) -> None:
    if not number:
        _fail(
            src,
            "number",
            "thiếu phần số (ví dụ 21 trong 21-KL/TW).",
            "the number part is missing (e.g. 21 in 21-KL/TW).",
        )
    if not (number.isascii() and number.isdigit()):
        _fail(
            src,
            "number",
            f'phần số "{number}" phải là chữ số (ví dụ 21).',
            f'the number part "{number}" must be digits (e.g. 21).',
        )


def _check_year(src: str, year: str) -> int:
    if not (len(year) == 4 and year.isascii() and year.isdigit() and 1945 <= int(year) <= 2100):
        _fail(
            src,
            "year",
            f'năm "{year}" không hợp lệ, phải có 4 chữ số (ví dụ 2020 trong 30/2020/NĐ-CP).',
            f'the year "{year}" is invalid: it must have 4 digits (e.g. 2020 in 30/2020/NĐ-CP).',
        )
    return int(year)


def _check_issuer(src: str, issuer: str) -> str:
    segments = _HYPHEN.split(issuer.strip()) if issuer.strip() else []
    if not segments:
        _fail(
            src,
            "issuer",
            "thiếu cơ quan ban hành (ví dụ TW trong 21-KL/TW).",
            "the issuing body is missing (e.g. TW in 21-KL/TW).",
        )
    codes = [normalise_issuer_segment(s) for s in segments]
    if None in codes:
        _fail(
            src,
            "issuer",
            f'cơ quan ban hành "{issuer}" phải gồm chữ cái và chữ số, nối bằng '
            'dấu "-" (ví dụ TW, BTCTU-BDVTU).',
            f'the issuing body "{issuer}" must be letters and digits joined by "-" '
            "(e.g. TW, BTCTU-BDVTU).",
        )
    return "-".join(codes)


def _missing_type(src: str) -> None:
    _fail(
        src,
        "type",
        "thiếu loại văn bản (ví dụ KL trong 21-KL/TW).",
        "the document type is missing (e.g. KL in 21-KL/TW).",
    )


def _fail(src: str, part: str, detail_vi: str, detail_en: str) -> None:
    raise InvalidDocumentNumber(src, part, detail_vi, detail_en)
