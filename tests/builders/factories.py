"""Small builders for tests: a tree of units and users with grants, made through the actions."""

import datetime
import itertools

from django.contrib.auth import get_user_model

from trienkhai.accounts.models import Grant
from trienkhai.tree.kinds import UnitKind
from trienkhai.units import actions

_seq = itertools.count(1)
START = datetime.date(2020, 1, 1)


def unit(parent=None, kind=UnitKind.PROVINCE, name=None, code=None, valid_from=START, **kw):
    n = next(_seq)
    return actions.create_unit(
        None,
        code=code or f"U{n:06d}",
        name=name or f"Đơn vị {n}",
        kind=kind,
        parent=parent,
        valid_from=valid_from,
        **kw,
    )


def small_tree():
    """Centre → two provinces, each with a commune, a grassroots organisation and a cell."""
    root = unit(None, UnitKind.CENTRAL, "Trung ương", "TW")
    t = {"root": root}
    for key, name in (("a", "Tỉnh An"), ("b", "Tỉnh Bình")):
        prov = unit(root, UnitKind.PROVINCE, name, f"P-{key}")
        commune = unit(prov, UnitKind.COMMUNE, f"Xã {key}", f"C-{key}")
        org = unit(commune, UnitKind.GRASSROOTS, f"Đảng bộ {key}", f"G-{key}")
        cell = unit(org, UnitKind.CELL, f"Chi bộ {key}", f"CB-{key}")
        t.update(
            {f"prov_{key}": prov, f"commune_{key}": commune, f"org_{key}": org, f"cell_{key}": cell}
        )
    t["office"] = unit(root, UnitKind.ORGANISATION_COMMISSION, "Ban Tổ chức Trung ương", "BTCTW")
    return t


def user(username=None, *grants, superuser=False, password="s3cret-pass!"):  # noqa: S107
    """`grants`: tuples (role, unit[, include_subtree[, clearance]])."""
    User = get_user_model()
    u = User.objects.create_user(username or f"user{next(_seq)}", password=password)
    if superuser:
        u.is_superuser = True
        u.is_staff = True
        u.save()
    for g in grants:
        role, unit_, *rest = g
        Grant.objects.create(
            user=u,
            role=role,
            unit=unit_,
            include_subtree=rest[0] if rest else True,
            clearance=rest[1] if len(rest) > 1 else 0,
        )
    return u
