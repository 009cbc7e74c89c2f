"""A national-scale synthetic tree (and optionally documents) for measuring, not for reading.

Defaults: 1 root, 34 provinces and 6 central party organisations under it, 3,300 communes,
55,000 grassroots organisations, 240,000 cells. The units go through the bulk import action
(`units.imports.actions.import_units`), so generating measures the real import path; documents are
written in bulk here, with `search_text` built by the registry's own `_search_text`.
"""

import datetime
import random
import time

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from trienkhai.core.actions import ActionError, snapshot
from trienkhai.core.context import acting_as, current
from trienkhai.core.models import ChangeLogEntry
from trienkhai.documents.actions import _search_text
from trienkhai.documents.models import DocType, Document, System
from trienkhai.units.imports.actions import import_units
from trienkhai.units.imports.files import LINE
from trienkhai.units.models import Unit

ROOT_CODE = "G"
VALID_FROM = datetime.date(2025, 7, 1)
CHUNK = 2000

PROVINCE_NAMES = [
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa",
    "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ",
    "Bắc Ninh", "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi",
    "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Thành phố Hồ Chí Minh", "Đồng Nai",
    "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
]  # fmt: skip
CENTRAL_ORGS = [
    "Đảng bộ Quân đội", "Đảng bộ Công an Trung ương", "Đảng bộ các cơ quan Đảng Trung ương",
    "Đảng bộ Chính phủ", "Đảng bộ Quốc hội", "Đảng bộ Mặt trận Tổ quốc, các đoàn thể Trung ương",
]  # fmt: skip
SYLLABLES = [
    "An", "Bình", "Phú", "Tân", "Long", "Hòa", "Thạnh", "Phước", "Đông", "Tây", "Nam", "Bắc",
    "Hưng", "Thịnh", "Lộc", "Quang", "Minh", "Đức", "Hiệp", "Lạc", "Vĩnh", "Xuân", "Thuận",
    "Nghĩa", "Trung", "Sơn", "Hải", "Thủy", "Cát", "Lâm", "Kim", "Hồng", "Thái", "Mỹ", "Ninh",
    "Lợi", "Tiến", "Điền", "Khánh", "Phong",
]  # fmt: skip
GRASSROOTS_PATTERNS = [
    "Chi bộ thôn {p}", "Chi bộ khu phố {p}", "Đảng bộ Trường THPT {p}", "Chi bộ Trường THCS {p}",
    "Chi bộ Trạm Y tế {p}", "Đảng bộ Công an {p}", "Chi bộ Quân sự {p}", "Đảng bộ Công ty {p}",
    "Chi bộ Hợp tác xã {p}", "Đảng bộ Bệnh viện {p}",
]  # fmt: skip
CELL_PATTERNS = ["Chi bộ {n}", "Chi bộ tổ dân phố {n}", "Chi bộ khoa {n}", "Chi bộ phòng {n}"]

# Subjects: a few very common phrases, a long tail, and one rare one (the search benchmark's).
COMMON_TOPICS = [
    "đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị",
    "lãnh đạo thực hiện nhiệm vụ chính trị năm",
    "công tác kiểm tra, giám sát và thi hành kỷ luật đảng",
]
TAIL_TOPICS = [
    "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "phát triển đảng viên trong thanh niên",
    "nâng cao chất lượng sinh hoạt chi bộ",
    "cải cách hành chính và chuyển đổi số",
    "công tác dân vận của hệ thống chính trị",
    "phòng, chống tham nhũng, lãng phí, tiêu cực",
    "kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng",
    "bảo vệ nền tảng tư tưởng của Đảng",
    "thực hiện quy chế dân chủ ở cơ sở",
    "công tác cán bộ và quy hoạch cán bộ",
]
RARE_TOPIC = "phòng, chống sạt lở bờ sông"  # about 1 document in 2,000
KL21 = "thực hiện Kết luận số 21-KL/TW của Ban Chấp hành Trung ương Đảng khóa XIII"
DOC_TYPES = [
    (DocType.PLAN, "KH"), (DocType.REPORT, "BC"), (DocType.NOTICE, "TB"),
    (DocType.RESOLUTION, "NQ"), (DocType.DIRECTIVE, "CT"), (DocType.ACTION_PROGRAMME, "CTr"),
]  # fmt: skip


def _spread(n_children: int, n_parents: int, rng: random.Random) -> list[int]:
    """Parent index of each child: every parent gets one first, the rest fall unevenly."""
    if n_parents == 0:
        return []
    first = list(range(min(n_children, n_parents)))
    weights = [rng.uniform(0.3, 1.7) for _ in range(n_parents)]
    rest = rng.choices(range(n_parents), weights=weights, k=max(0, n_children - n_parents))
    return sorted(first + rest)


def _place(rng: random.Random) -> str:
    return f"{rng.choice(SYLLABLES)} {rng.choice(SYLLABLES)}"


def build_rows(provinces: int, communes: int, grassroots: int, cells: int, seed: int) -> list[dict]:
    """Import rows for the whole tree, parents before children."""
    rng = random.Random(seed)
    rows: list[dict] = []
    day = VALID_FROM.strftime("%d/%m/%Y")

    def add(code, name, kind, parent, short=""):
        rows.append(
            {
                LINE: len(rows) + 2,
                "ma": code,
                "ten": name,
                "ten_ngan": short,
                "loai": kind,
                "hieu_luc_tu": day,
                "ma_don_vi_cap_tren": parent,
            }
        )

    add(ROOT_CODE, "Trung ương (dữ liệu tổng hợp)", "central", "", "Trung ương")
    prov_codes = []
    for i in range(provinces):
        name = PROVINCE_NAMES[i % len(PROVINCE_NAMES)]
        if i >= len(PROVINCE_NAMES):
            name = f"{name} {i // len(PROVINCE_NAMES) + 1}"
        code = f"G.P{i + 1:02d}"
        committee = (
            "Thành ủy"
            if name in ("Hà Nội", "Hải Phòng", "Huế", "Đà Nẵng", "Cần Thơ")
            or name.startswith("Thành phố")
            else "Tỉnh ủy"
        )
        add(code, f"{committee} {name}", "province", ROOT_CODE, name)
        prov_codes.append(code)
    org_codes = []
    for i, name in enumerate(CENTRAL_ORGS):
        code = f"G.O{i + 1}"
        add(code, name, "central_org", ROOT_CODE)
        org_codes.append(code)
    commune_codes = []
    for n, p in enumerate(_spread(communes, len(prov_codes), rng)):
        place = _place(rng)
        kind, word = ("ward", "phường") if rng.random() < 0.25 else ("commune", "xã")
        code = f"{prov_codes[p]}.C{n + 1}"
        add(code, f"Đảng ủy {word} {place}", kind, prov_codes[p], f"{word.capitalize()} {place}")
        commune_codes.append(code)
    # Grassroots organisations: most under communes, some directly under a province or a
    # central organisation (provincial police, departments, ministries …).
    parents = commune_codes + prov_codes + org_codes
    weights = [1.0] * len(commune_codes) + [6.0] * len(prov_codes) + [20.0] * len(org_codes)
    grass_parent = sorted(
        list(range(min(grassroots, len(commune_codes))))
        + rng.choices(
            range(len(parents)), weights=weights, k=max(0, grassroots - len(commune_codes))
        )
    )
    grass_codes = []
    for n, p in enumerate(grass_parent):
        code = f"{parents[p]}.G{n + 1}"
        name = rng.choice(GRASSROOTS_PATTERNS).format(p=_place(rng))
        add(code, name, "grassroots", parents[p])
        grass_codes.append(code)
    seq: dict[int, int] = {}
    for g in _spread(cells, len(grass_codes), rng):
        seq[g] = seq.get(g, 0) + 1
        name = rng.choice(CELL_PATTERNS).format(n=seq[g])
        add(f"{grass_codes[g]}.{seq[g]}", name, "cell", grass_codes[g])
    return rows


def _subject(rng: random.Random, unit_name: str, year: int) -> tuple[str, str]:
    r = rng.random()
    if r < 0.0005:
        topic = RARE_TOPIC
    elif r < 0.05:
        topic = KL21
    elif r < 0.5:
        topic = rng.choice(COMMON_TOPICS)
    else:
        topic = rng.choice(TAIL_TOPICS)
    return topic, f"Về {topic} của {unit_name} năm {year}"


def generate_documents(count: int, seed: int, stdout=None) -> int:
    """`count` documents spread over the generated units, written in bulk with change-log rows."""
    if count <= 0:
        return 0
    rng = random.Random(seed + 1)
    root = Unit.objects.get(code=ROOT_CODE)
    units = list(
        Unit.objects.filter(path__gte=root.path, path__lt=root.path + "~")
        .exclude(kind="cell")
        .only("id", "name", "short_name")
    )
    counters: dict[tuple[int, str, str], int] = {}
    content_type = ContentType.objects.get_for_model(Document)
    request_id = current().request_id
    written = 0
    with transaction.atomic():
        for start in range(0, count, CHUNK):
            batch = []
            for _i in range(start, min(count, start + CHUNK)):
                unit = rng.choice(units)
                doc_type, abbr = rng.choice(DOC_TYPES)
                year = rng.choice((2021, 2022, 2023, 2024, 2025))
                term = "Nhiệm kỳ 2020-2025" if year < 2025 else "Nhiệm kỳ 2025-2030"
                key = (unit.pk, doc_type, term)
                counters[key] = counters.get(key, 0) + 1
                number = f"{counters[key]:02d}"
                _topic, subject = _subject(rng, unit.name, year)
                doc = Document(
                    system=System.PARTY,
                    doc_type=doc_type,
                    number=number,
                    type_code=abbr,
                    issuer_code="ĐU",
                    symbol=f"{number}-{abbr}/ĐU",
                    issuing_unit=unit,
                    term=term,
                    date=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                    subject=subject,
                    classification=1 if rng.random() < 0.02 else 0,
                )
                doc.search_text = _search_text(doc)
                batch.append(doc)
            Document.objects.bulk_create(batch, batch_size=CHUNK)
            ChangeLogEntry.objects.bulk_create(
                [
                    ChangeLogEntry(
                        user=None,
                        user_name="system",
                        request_id=request_id,
                        action="documents.register",
                        content_type=content_type,
                        object_id=str(d.pk),
                        object_repr=str(d)[:300],
                        unit_id=d.issuing_unit_id,
                        after=snapshot(d),
                    )
                    for d in batch
                ],
                batch_size=CHUNK,
            )
            written += len(batch)
            if stdout is not None and written % 20000 == 0:
                stdout.write(f"  {written} văn bản\n")
    return written


def generate(
    provinces: int = 34,
    communes: int = 3300,
    grassroots: int = 55000,
    cells: int = 240000,
    documents: int = 0,
    seed: int = 1,
    stdout=None,
) -> dict:
    """Build the synthetic tree (refused if one exists) and `documents` documents.

    Returns the timings in seconds and the number of units created.
    """

    def say(text):
        if stdout is not None:
            stdout.write(text + "\n")
            stdout.flush()

    if min(provinces, communes, grassroots, cells, documents) < 0 or provinces < 1:
        raise ActionError(_("Số lượng phải là số không âm, và cần ít nhất một tỉnh."))
    if Unit.objects.filter(code=ROOT_CODE).exists():
        raise ActionError(
            _("Cơ sở dữ liệu đã có cây tổng hợp (mã %(code)s).") % {"code": ROOT_CODE}
        )
    timings = {}
    started = time.perf_counter()
    rows = build_rows(provinces, communes, grassroots, cells, seed)
    timings["rows"] = time.perf_counter() - started
    say(f"Đang nhập {len(rows)} đơn vị…")
    t0 = time.perf_counter()
    with acting_as(None):
        result = import_units(None, rows)
    timings["import_units"] = time.perf_counter() - t0
    if not result.ok:
        first = result.errors[0]
        raise ActionError(f"{first.line}: {first.code}: {first.message}")
    say(f"Đã nhập {result.created} đơn vị trong {timings['import_units']:.1f} giây.")
    if documents:
        say(f"Đang tạo {documents} văn bản…")
        t0 = time.perf_counter()
        with acting_as(None):
            generate_documents(documents, seed, stdout)
        timings["documents"] = time.perf_counter() - t0
        say(f"Đã tạo {documents} văn bản trong {timings['documents']:.1f} giây.")
    timings["units"] = result.created
    return timings
