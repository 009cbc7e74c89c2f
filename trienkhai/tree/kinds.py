"""Unit kinds and where each may stand in the tree."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    CENTRAL = "central", _("Trung ương")
    CENTRAL_ORG = "central_org", _("Đảng bộ trực thuộc Trung ương")
    PROVINCE = "province", _("Tỉnh, thành phố")
    DISTRICT = "district", _("Huyện, thị xã, thành phố thuộc tỉnh (trước 1/7/2025)")
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")
    DELEGATION = "delegation", _("Ban cán sự đảng, đảng đoàn")
    GRASSROOTS = "grassroots", _("Tổ chức cơ sở đảng")
    CELL = "cell", _("Chi bộ trực thuộc")
    OFFICE = "office", _("Văn phòng cấp ủy")
    ORGANISATION_COMMISSION = "org_commission", _("Ban Tổ chức")
    INSPECTION_COMMISSION = "inspection_commission", _("Ủy ban Kiểm tra")
    PROPAGANDA_COMMISSION = "propaganda_commission", _("Ban Tuyên giáo và Dân vận")
    SUPPORT_OTHER = "support_other", _("Cơ quan tham mưu khác")


SUPPORT_KINDS = frozenset(
    {
        UnitKind.OFFICE,
        UnitKind.ORGANISATION_COMMISSION,
        UnitKind.INSPECTION_COMMISSION,
        UnitKind.PROPAGANDA_COMMISSION,
        UnitKind.SUPPORT_OTHER,
    }
)
COMMUNE_LEVEL = frozenset({UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE})
COMMITTEE_KINDS = frozenset(
    {UnitKind.CENTRAL, UnitKind.CENTRAL_ORG, UnitKind.PROVINCE, UnitKind.DISTRICT}
    | COMMUNE_LEVEL
    | {UnitKind.GRASSROOTS}
)

# kind -> kinds its parent may be (None: a root)
ALLOWED_PARENTS: dict[str, frozenset] = {
    UnitKind.CENTRAL: frozenset({None}),
    UnitKind.CENTRAL_ORG: frozenset({UnitKind.CENTRAL}),
    UnitKind.PROVINCE: frozenset({UnitKind.CENTRAL}),
    UnitKind.DISTRICT: frozenset({UnitKind.PROVINCE}),
    UnitKind.COMMUNE: frozenset({UnitKind.PROVINCE, UnitKind.DISTRICT}),
    UnitKind.WARD: frozenset({UnitKind.PROVINCE, UnitKind.DISTRICT}),
    UnitKind.SPECIAL_ZONE: frozenset({UnitKind.PROVINCE, UnitKind.DISTRICT}),
    UnitKind.DELEGATION: frozenset(
        {UnitKind.CENTRAL, UnitKind.PROVINCE, UnitKind.DISTRICT} | COMMUNE_LEVEL
    ),
    UnitKind.GRASSROOTS: frozenset(
        {UnitKind.CENTRAL_ORG, UnitKind.PROVINCE, UnitKind.DISTRICT} | COMMUNE_LEVEL
    ),
    UnitKind.CELL: frozenset({UnitKind.GRASSROOTS}),
}
for _kind in SUPPORT_KINDS:
    ALLOWED_PARENTS[_kind] = frozenset(COMMITTEE_KINDS - {UnitKind.GRASSROOTS})


def can_live_under(kind: str, parent_kind: str | None) -> bool:
    return parent_kind in ALLOWED_PARENTS.get(kind, frozenset())


def kind_label(kind: str | None) -> str:
    if kind is None:
        return str(_("(gốc)"))
    try:
        return str(UnitKind(kind).label)
    except ValueError:
        return kind
