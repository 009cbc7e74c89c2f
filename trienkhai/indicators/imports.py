"""Import of an indicator set with its targets from an XLSX workbook, all or nothing.

Sheet 1 "chi_tieu": one indicator a row — ma, ten, dinh_nghia, don_vi_tinh, chieu (more/less),
tong_hop (sum/rate/average), ky_bao_cao (month/quarter/year), nguon (reported, plan_coverage,
conferences, on_time, remediation; empty = reported). Sheet 2 "chi_tieu_giao": one target a
row — ma_chi_tieu, ma_don_vi, chi_tieu (the year's target of that unit). Every row is checked
before anything is written; one bad row refuses the file and each error names its sheet and
line, in Vietnamese.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import reaches_unit
from trienkhai.core import xlsx
from trienkhai.core.actions import ActionError, record, snapshot
from trienkhai.core.text import fold
from trienkhai.indicators import actions
from trienkhai.indicators.models import Aggregation, Indicator, Target
from trienkhai.units.imports.files import ImportFileError, inspect_file
from trienkhai.units.models import Unit

INDICATOR_COLUMNS = [
    "ma",
    "ten",
    "dinh_nghia",
    "don_vi_tinh",
    "chieu",
    "tong_hop",
    "ky_bao_cao",
    "nguon",
]
FIELDS = {
    "ma": "code",
    "ten": "name",
    "dinh_nghia": "definition",
    "don_vi_tinh": "measure",
    "chieu": "direction",
    "tong_hop": "aggregation",
    "ky_bao_cao": "period",
    "nguon": "source",
}
TARGET_COLUMNS = ["ma_chi_tieu", "ma_don_vi", "chi_tieu"]
HELP = [
    ("ma", gettext_lazy("Mã chỉ tiêu, duy nhất trong bộ (ví dụ CDS-01)")),
    ("ten", gettext_lazy("Tên chỉ tiêu")),
    ("dinh_nghia", gettext_lazy("Định nghĩa, cách tính (không bắt buộc)")),
    ("don_vi_tinh", gettext_lazy("Đơn vị tính: %, xã, đảng viên …")),
    ("chieu", gettext_lazy("more: càng cao càng tốt; less: càng thấp càng tốt")),
    ("tong_hop", gettext_lazy("sum: cộng dồn; rate: tỷ lệ %; average: bình quân")),
    ("ky_bao_cao", gettext_lazy("month: tháng; quarter: quý; year: năm")),
    (
        "nguon",
        gettext_lazy(
            "reported: đơn vị báo cáo (để trống); plan_coverage, conferences, on_time, "
            "remediation: hệ thống tính"
        ),
    ),
    ("ma_chi_tieu", gettext_lazy("Trang chi_tieu_giao: mã chỉ tiêu ở trang chi_tieu")),
    ("ma_don_vi", gettext_lazy("Trang chi_tieu_giao: mã đơn vị được giao")),
    ("chi_tieu", gettext_lazy("Trang chi_tieu_giao: chỉ tiêu cả năm của đơn vị")),
]


@dataclass
class RowError:
    sheet: str
    line: int
    message: str


class ImportRefused(ActionError):
    def __init__(self, errors: list[RowError]):
        super().__init__(
            _("Tệp có %(n)s lỗi; chưa có gì được lưu. Hãy sửa các dòng dưới đây rồi gửi lại.")
            % {"n": len(errors)}
        )
        self.errors = errors


def template() -> bytes:
    return xlsx.workbook_of(
        xlsx.Sheet(
            "chi_tieu",
            None,
            INDICATOR_COLUMNS,
            [
                [
                    "CDS-01",
                    "Tỷ lệ văn bản xử lý trên môi trường điện tử",
                    "",
                    "%",
                    "more",
                    "rate",
                    "month",
                    "",
                ]
            ],
            widths=dict.fromkeys(range(len(INDICATOR_COLUMNS)), 22),
        ),
        xlsx.Sheet(
            "chi_tieu_giao",
            None,
            TARGET_COLUMNS,
            [],
            widths=dict.fromkeys(range(3), 22),
        ),
        xlsx.Sheet(
            "huong_dan",
            None,
            [_("Cột"), _("Ý nghĩa")],
            [[c, str(t)] for c, t in HELP],
            widths={0: 20, 1: 80},
        ),
    )


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _sheet_rows(sheet, columns, name: str) -> list[tuple[int, dict]]:
    rows, header = [], None
    for index, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        values = [
            c if isinstance(c, int | float) and not isinstance(c, bool) else _cell(c) for c in cells
        ]
        if not any(v not in ("", None) for v in values):
            continue
        if header is None:
            header = [fold(str(v or "")).replace(" ", "_") for v in values]
            missing = [c for c in columns if c not in header and c not in ("dinh_nghia", "nguon")]
            if missing:
                raise ImportFileError(
                    _("Trang %(sheet)s thiếu cột: %(cols)s. Hãy dùng tệp mẫu.")
                    % {"sheet": name, "cols": ", ".join(missing)}
                )
            continue
        rows.append((index, {k: v for k, v in zip(header, values, strict=False) if k in columns}))
        if len(rows) > 20000:
            raise ImportFileError(_("Tệp có quá nhiều dòng."))
    return rows


def read(uploaded_file) -> tuple[list, list]:
    info = inspect_file(uploaded_file)
    if info.kind != "xlsx":
        raise ImportFileError(_("Chỉ nhận tệp XLSX (hãy dùng tệp mẫu)."))
    from openpyxl import load_workbook

    try:
        book = load_workbook(uploaded_file, read_only=True, data_only=True)
    except Exception as exc:  # a damaged file raises many kinds
        raise ImportFileError(_("Không đọc được tệp XLSX.")) from exc
    try:
        names = {fold(n): n for n in book.sheetnames}
        if "chi_tieu" not in names:
            raise ImportFileError(_("Tệp không có trang “chi_tieu”. Hãy dùng tệp mẫu."))
        ind_sheet = book[names["chi_tieu"]]
        ind_sheet.reset_dimensions()
        indicators = _sheet_rows(ind_sheet, INDICATOR_COLUMNS, "chi_tieu")
        targets = []
        if "chi_tieu_giao" in names:
            t_sheet = book[names["chi_tieu_giao"]]
            t_sheet.reset_dimensions()
            targets = _sheet_rows(t_sheet, TARGET_COLUMNS, "chi_tieu_giao")
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(_("Không đọc được tệp XLSX.")) from exc
    finally:
        book.close()
    if not indicators:
        raise ImportFileError(_("Trang chi_tieu không có chỉ tiêu nào."))
    return indicators, targets


@transaction.atomic
def import_set(actor, uploaded_file, *, document, unit: Unit, name: str, year: int):
    """Create the set, its indicators and targets from the file, or refuse it whole."""
    indicator_rows, target_rows = read(uploaded_file)
    errors: list[RowError] = []
    cleaned, codes = [], {}
    for line, row in indicator_rows:
        try:
            fields = actions.clean_indicator({FIELDS[k]: v for k, v in row.items() if k in FIELDS})
        except ActionError as exc:
            errors.append(RowError("chi_tieu", line, str(exc.message)))
            continue
        if fields["code"] in codes:
            errors.append(
                RowError(
                    "chi_tieu",
                    line,
                    _("Mã “%(code)s” trùng với dòng %(other)s.")
                    % {"code": fields["code"], "other": codes[fields["code"]][0]},
                )
            )
            continue
        codes[fields["code"]] = (line, fields)
        cleaned.append(fields)
    unit_codes = {str(r.get("ma_don_vi") or "").strip() for _l, r in target_rows}
    units = {u.code: u for u in Unit.objects.filter(code__in=sorted(unit_codes - {""}))}
    targets, seen = [], {}
    for line, row in target_rows:
        code = str(row.get("ma_chi_tieu") or "").strip()
        unit_code = str(row.get("ma_don_vi") or "").strip()
        if code not in codes:
            errors.append(
                RowError(
                    "chi_tieu_giao",
                    line,
                    _("Mã chỉ tiêu “%(code)s” không có ở trang chi_tieu.") % {"code": code},
                )
            )
            continue
        target_unit = units.get(unit_code)
        if target_unit is None or (actor is not None and not reaches_unit(actor, target_unit)):
            errors.append(
                RowError(
                    "chi_tieu_giao",
                    line,
                    _("Không tìm thấy đơn vị có mã “%(code)s” trong phạm vi của bạn.")
                    % {"code": unit_code},
                )
            )
            continue
        if not target_unit.path.startswith(unit.path) or target_unit.valid_to is not None:
            errors.append(
                RowError(
                    "chi_tieu_giao",
                    line,
                    _("Đơn vị “%(unit)s” không thuộc %(owner)s hoặc đã thôi hoạt động.")
                    % {"unit": target_unit.name, "owner": unit.name},
                )
            )
            continue
        if actor is not None and not reaches_unit(actor, target_unit, Role.COORDINATOR):
            errors.append(
                RowError(
                    "chi_tieu_giao",
                    line,
                    _("Bạn không có quyền giao chỉ tiêu cho “%(unit)s”.")
                    % {"unit": target_unit.name},
                )
            )
            continue
        key = (code, unit_code)
        if key in seen:
            errors.append(
                RowError(
                    "chi_tieu_giao",
                    line,
                    _("Chỉ tiêu này đã được giao cho đơn vị ở dòng %(other)s.")
                    % {"other": seen[key]},
                )
            )
            continue
        seen[key] = line
        try:
            number = actions.parse_number(row.get("chi_tieu"), "chi_tieu")
            if codes[code][1]["aggregation"] == Aggregation.RATE and number > 100:
                raise ActionError(_("Tỷ lệ không được vượt quá 100%."))
        except ActionError as exc:
            errors.append(RowError("chi_tieu_giao", line, str(exc.message)))
            continue
        targets.append((code, target_unit, number))
    if errors:
        raise ImportRefused(errors)
    indicator_set = actions.create_set(actor, document=document, unit=unit, name=name, year=year)
    made = {}
    for order, fields in enumerate(cleaned, start=1):
        ind = Indicator.objects.create(indicator_set=indicator_set, order=order, **fields)
        record(actor, "indicators.import", ind, unit=unit, after=snapshot(ind))
        made[fields["code"]] = ind
    for code, target_unit, number in targets:
        t = Target.objects.create(
            indicator=made[code],
            unit=target_unit,
            unit_path=target_unit.path,
            year=indicator_set.year,
            value=number,
        )
        record(actor, "indicators.import", t, unit=target_unit, after=snapshot(t))
    return indicator_set
