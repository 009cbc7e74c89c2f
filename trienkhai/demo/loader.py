"""Load the demo data set through the actions, so the demo has the history real use would leave.

`ensure_demo` builds the tree of 2024, runs the reorganisations of 2025 on it, registers the KL 21
documents and their cascade, and creates the demo logins. It loads the data only into an empty
database and creates only missing logins, so running it twice changes nothing.

Why the Quảng Ninh People's Council (HĐND) is a unit of kind `support_other`: 68/NQ-HĐND is a
State document and every document needs an issuing unit in the tree, which holds party
organisations only. Filed as a support-kind body under the province committee, the HĐND is
visible to every user of the province's subtree (documents of an ancestor's support bodies are
visible below, as a provincial resolution should be), while it has no children, is no target of
assignments, and is not a party organisation a commune reports to. A `delegation` (the HĐND's
party delegation) would hide the resolution from the communes, which must carry it out.
"""

import datetime
import re

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from trienkhai.accounts import actions as account_actions
from trienkhai.accounts.models import Clearance, Role
from trienkhai.core.context import acting_as
from trienkhai.core.text import fold
from trienkhai.demo import seed_data as S
from trienkhai.demo.current import load_current
from trienkhai.demo.indicators_demo import load_indicators
from trienkhai.demo.reports_demo import load_live_reports, load_seed004
from trienkhai.demo.tracking_demo import (
    accept_history,
    load_progress_after_reorganisation,
    load_tracking,
)
from trienkhai.documents import actions as doc_actions
from trienkhai.units import actions as unit_actions
from trienkhai.units.models import Unit

# (username, password, description, superuser, grant: (role, unit code, clearance) or None)
DEMO_USERS = [
    ("quantri", "QuanTri#2025", "Quản trị toàn quốc", True, None),
    (
        "lamdong",
        "LamDong#2025",
        "Điều phối, Tỉnh ủy Lâm Đồng",
        False,
        (Role.COORDINATOR, "LDG", Clearance.NONE),
    ),
    (
        "quangninh",
        "QuangNinh#2025",
        "Xem, Tỉnh ủy Quảng Ninh",
        False,
        (Role.VIEWER, "QNI", Clearance.NONE),
    ),
    (
        "tuyphong",
        "TuyPhong#2025",
        "Báo cáo, Đảng ủy xã Tuy Phong",
        False,
        (Role.REPORTER, "BTH.XA-TUY-PHONG", Clearance.NONE),
    ),
    (
        "qn-thuongvu",
        "ThuongVu#2025",
        "Điều phối, Tỉnh ủy Quảng Ninh",
        False,
        (Role.COORDINATOR, "QNI", Clearance.NONE),
    ),
    (
        "kiemtra",
        "KiemTra#2025",
        "Kiểm tra, Trung ương, độ mật “Mật”",
        False,
        (Role.INSPECTOR, "TW", Clearance.CONFIDENTIAL),
    ),
]

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slug(name: str) -> str:
    """Code segment from a Vietnamese name: "Xã Phước Thể" -> "XA-PHUOC-THE"."""
    return _NON_ALNUM.sub("-", fold(name)).strip("-").upper()


def commune_kind(name: str) -> str:
    return "ward" if name.startswith("Phường") else "commune"


def commune_unit_name(name: str) -> str:
    """ "Xã Phước Thể" -> "Đảng ủy xã Phước Thể" (the party committee of the place)."""
    return f"Đảng ủy {name[0].lower()}{name[1:]}"


class _Loader:
    def __init__(self, stdout=None):
        self.stdout = stdout
        self.units: dict[str, Unit] = {}
        self.village = 0

    def say(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(text + "\n")

    def create(self, code, name, kind, parent_code, since, short_name="") -> Unit:
        parent = self.units[parent_code] if parent_code else None
        unit = unit_actions.create_unit(
            None,
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            valid_from=since,
            short_name=short_name,
        )
        self.units[code] = unit
        return unit

    def unit(self, code: str) -> Unit:
        unit = Unit.objects.get(code=code)
        self.units[code] = unit
        return unit

    # --- 2024 tree -------------------------------------------------------------------------
    def build_centre(self) -> None:
        self.create(
            S.CENTRE["code"],
            S.CENTRE["name"],
            "central",
            None,
            S.CENTRE_SINCE,
            S.CENTRE["short_name"],
        )
        for code, name, short, kind, since in S.CENTRAL_BODIES:
            self.create(code, name, kind, "TW", since, short)
        for code, name, _heir in S.KHOI_CHILDREN:
            self.create(code, name, "grassroots", "DUKCQTW", S.RECORDS_SINCE)

    def build_commune(self, code, name, parent_code, detailed, since=S.RECORDS_SINCE):
        kind = commune_kind(name)
        self.create(code, commune_unit_name(name), kind, parent_code, since, name)
        village = S.VILLAGES[self.village % len(S.VILLAGES)]
        self.village += 1
        place = "khu phố" if kind == "ward" else "thôn"
        self.create(f"{code}.CB1", f"Chi bộ {place} {village}", "grassroots", code, since)
        if detailed and self.village % 2 == 0:
            lower = name[0].lower() + name[1:]
            self.create(f"{code}.CA", f"Đảng bộ Công an {lower}", "grassroots", code, since)
            for i, cell in enumerate(S.POLICE_CELLS, 1):
                self.create(f"{code}.CA.{i}", cell, "cell", f"{code}.CA", since)

    def build_province(self, code, name, place, detailed) -> None:
        committee = name.split(" ")[0] + " " + name.split(" ")[1]  # "Tỉnh ủy" / "Thành ủy"
        self.create(code, name, "province", "TW", S.RECORDS_SINCE, place)
        for key, kind, pattern in S.PROVINCE_SUPPORT:
            self.create(
                f"{code}.{key}", pattern.format(c=committee, p=place), kind, code, S.RECORDS_SINCE
            )
        for key, pattern, cells in S.PROVINCE_GRASSROOTS:
            gcode = f"{code}.{key}"
            self.create(gcode, pattern.format(p=place), "grassroots", code, S.RECORDS_SINCE)
            for i, cell in enumerate(cells, 1):
                self.create(f"{gcode}.{i}", cell, "cell", gcode, S.RECORDS_SINCE)
        for key, kind, unit_name, cells in S.PROVINCE_EXTRAS.get(code, []):
            ucode = f"{code}.{key}"
            self.create(ucode, unit_name, kind, code, S.RECORDS_SINCE)
            for i, cell in enumerate(cells, 1):
                self.create(f"{ucode}.{i}", cell, "cell", ucode, S.RECORDS_SINCE)
        for dkey, dname, groups in S.DISTRICTS.get(code, []):
            dcode = f"{code}.{dkey}"
            self.create(dcode, dname, "district", code, S.RECORDS_SINCE)
            for _new, olds in groups:
                for old in olds:
                    self.build_commune(f"{dcode}.{slug(old)}", old, dcode, detailed)

    # --- 2025 reorganisation -----------------------------------------------------------------
    def central_reform(self) -> None:
        date = S.CENTRAL_REFORM
        unit_actions.merge_units(
            None,
            units=[self.unit("BTGTW"), self.unit("BDVTW")],
            into={
                "code": "BTGDVTW",
                "name": "Ban Tuyên giáo và Dân vận Trung ương",
                "short_name": "BTGDVTW",
                "kind": "propaganda_commission",
                "parent": self.unit("TW"),
            },
            date=date,
            note="Hợp nhất Ban Tuyên giáo Trung ương và Ban Dân vận Trung ương.",
        )
        khoi = self.unit("DUKCQTW")
        specs = [
            {
                "code": c,
                "name": n,
                "short_name": s,
                "kind": "central_org",
                "parent": self.unit("TW"),
            }
            for c, n, s in S.KHOI_SUCCESSORS
        ]
        index = {c: i for i, (c, _n, _s) in enumerate(S.KHOI_SUCCESSORS)}
        targets = {self.unit(c).pk: index[heir] for c, _n, heir in S.KHOI_CHILDREN}
        unit_actions.split_unit(
            None,
            khoi,
            into=specs,
            work_to=0,
            child_targets=targets,
            date=date,
            note="Kết thúc Đảng bộ Khối các cơ quan Trung ương, lập bốn đảng bộ mới.",
        )
        # Party delegations of ministries and provincial People's Committees ended in 2025;
        # their work went to the new party committees (here: the Government's, the province).
        for code, heir in (("BCSD-BNV", "DUCP"), ("BTH.BCSD-UBND", "BTH")):
            unit_actions.dissolve_unit(
                None,
                self.unit(code),
                date=date,
                successor=self.unit(heir),
                note="Kết thúc hoạt động ban cán sự đảng.",
            )
        unit_actions.dissolve_unit(
            None,
            self.unit("DUKDNTW"),
            date=date,
            successor=self.unit("DUCP"),
            note="Chuyển về Đảng bộ Chính phủ.",
        )

    def rename_propaganda(self) -> None:
        for code, name, place, _into, _detailed in S.PROVINCES:
            committee = " ".join(name.split(" ")[:2])
            unit_actions.rename_unit(
                None,
                self.unit(f"{code}.BTG"),
                name=S.PROPAGANDA_NEW_NAME.format(c=committee, p=place),
                date=S.PROPAGANDA_MERGE,
            )

    def close_districts(self, heir_of: dict[str, str]) -> None:
        date = S.REFORM
        for prov, districts in S.DISTRICTS.items():
            province = self.unit(heir_of.get(prov, prov))
            for dkey, _dname, groups in districts:
                dcode = f"{prov}.{dkey}"
                first = None
                for new_name, olds in groups:
                    old_units = [self.unit(f"{dcode}.{slug(o)}") for o in olds]
                    if len(old_units) == 1:
                        unit = unit_actions.move_unit(
                            None, old_units[0], new_parent=province, date=date
                        )
                    else:
                        province.refresh_from_db()
                        unit = unit_actions.merge_units(
                            None,
                            units=old_units,
                            date=date,
                            note=S.COMMUNE_MERGE_NOTE,
                            into={
                                "code": f"{prov}.{slug(new_name)}",
                                "name": commune_unit_name(new_name),
                                "short_name": new_name,
                                "kind": commune_kind(new_name),
                                "parent": province,
                            },
                        )
                    first = first or unit
                unit_actions.dissolve_unit(
                    None,
                    self.unit(dcode),
                    date=date,
                    successor=first,
                    note="Kết thúc hoạt động cấp huyện; công việc chuyển về đơn vị cấp xã kế thừa.",
                )

    def merge_provinces(self, decision) -> None:
        date = S.REFORM
        for code, _name, place, into, _detailed in S.PROVINCES:
            if not into:
                continue
            for key in [k for k, _kind, _p in S.PROVINCE_SUPPORT] + [
                k for k, _p, _c in S.PROVINCE_GRASSROOTS
            ]:
                unit_actions.merge_units(
                    None,
                    units=[self.unit(f"{code}.{key}")],
                    into=self.unit(f"{into}.{key}"),
                    date=date,
                    decision=decision,
                )
            unit_actions.merge_units(
                None,
                units=[self.unit(code)],
                into=self.unit(into),
                date=date,
                decision=decision,
                note=f"Hợp nhất tỉnh {place} vào {self.unit(into).short_name}.",
            )

    # --- documents ---------------------------------------------------------------------------
    def documents(self) -> dict:
        docs = {}
        for spec in S.DOCUMENTS:
            spec = dict(spec)
            key, unit_code = spec.pop("key"), spec.pop("unit")
            spec.pop("note", None)
            rels = spec.pop("rel", [])
            doc = doc_actions.register_document(None, issuing_unit=self.unit(unit_code), **spec)
            docs[key] = doc
            for kind, target in rels:
                doc_actions.relate(None, doc, docs[target], kind)
        return docs

    def run(self) -> None:
        self.say("Đang tạo cây tổ chức năm 2024…")
        self.build_centre()
        for code, name, place, _into, detailed in S.PROVINCES:
            self.build_province(code, name, place, detailed)
        self.say("Đang ghi văn bản và quan hệ…")
        docs = self.documents()
        self.say("Đang giao nhiệm vụ và ghi tiến độ…")
        load_tracking(docs, self.unit, self.stdout)
        self.say("Đang tạo yêu cầu báo cáo và các báo cáo gửi lên…")
        load_seed004(docs, self.stdout)
        self.say("Đang sắp xếp tổ chức năm 2025…")
        self.central_reform()
        self.rename_propaganda()
        heir_of = {code: into for code, _n, _p, into, _d in S.PROVINCES if into}
        self.close_districts(heir_of)
        self.merge_provinces(docs["nq60"])
        load_progress_after_reorganisation(self.stdout)


def _ensure_users(stdout=None) -> list[tuple[str, str, str]]:
    User = get_user_model()
    logins = []
    for username, password, description, superuser, grant in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            # The demo's logins are published and echo the user names, so the validators
            # (which apply to every password a person sets) would refuse them.
            user = account_actions.create_user(
                None, username=username, password=password, superuser=superuser, validate=False
            )
        if grant is not None:
            role, code, clearance = grant
            unit = Unit.objects.filter(code=code).first()
            if unit is not None:
                account_actions.grant_role(
                    None, user, role=role, unit=unit, include_subtree=True, clearance=clearance
                )
        logins.append((username, password, description))
    return logins


def _load_apps(stdout) -> None:
    """The other apps' demo records, each loaded through that app's actions."""
    from trienkhai.conferences.demo import load_demo as load_conferences
    from trienkhai.evaluations.demo import load_demo as load_evaluations
    from trienkhai.inspections.demo import load_demo as load_inspections
    from trienkhai.practices.demo import load_demo as load_practices

    load_conferences(stdout)
    load_practices(stdout)
    load_inspections(stdout)  # before evaluations: its flags read the remediation requests
    load_evaluations(stdout)


def _users_by_name() -> dict:
    names = [u[0] for u in DEMO_USERS]
    return {u.username: u for u in get_user_model().objects.filter(username__in=names)}


def ensure_demo(stdout=None, today: datetime.date | None = None) -> list[tuple[str, str, str]]:
    """Load the demo data set into an empty database, create missing demo logins, return them.

    The historic records come first (as the system, at their own dates), then the logins, then
    the current cycle dated from `today` (the day it is built unless the tests pass another,
    never a later one: nothing is reported in the future), in which the logins act.
    """
    with acting_as(None):
        if not Unit.objects.exists():
            started = datetime.datetime.now()
            with transaction.atomic():
                _Loader(stdout).run()
                _load_apps(stdout)
                _ensure_users(stdout)
                users = _users_by_name()
                accept_history(users)
                if stdout is not None:
                    stdout.write("Đang tạo chu kỳ công việc hiện tại…\n")
                day = min(today or timezone.localdate(), timezone.localdate())
                cycle = load_current(users, day, stdout)
                load_indicators(users, day, cycle.directive, stdout)
                load_live_reports(users, day, cycle.directive, stdout)
            seconds = (datetime.datetime.now() - started).total_seconds()
            if stdout is not None:
                stdout.write(f"Đã tạo {Unit.objects.count()} đơn vị trong {seconds:.1f} giây.\n")
        with transaction.atomic():
            return _ensure_users(stdout)
