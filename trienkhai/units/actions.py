"""Every write to the organisation tree: create, rename, move, merge, split, dissolve.

Each action checks permission, validates, runs in one transaction, keeps the dated history
(UnitState) and the materialised paths right, hands open work over, and writes the change log.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.accounts.permissions import require
from trienkhai.core.actions import BULK_BATCH, ActionError, Change, record, record_many, snapshot
from trienkhai.core.dates import backdate_days, check_date, is_backdated
from trienkhai.core.text import fold
from trienkhai.tree.kinds import can_live_under, kind_label
from trienkhai.tree.paths import MAX_SEGMENT, child_path, depth_of, segment, subtree_q
from trienkhai.units import handover
from trienkhai.units.models import Reorganisation, ReorganisationLink, Unit, UnitState

_SNAP_EXCLUDE = ("name_folded", "child_seq")


def _snap(unit: Unit) -> dict:
    return snapshot(unit, exclude=_SNAP_EXCLUDE)


def _require_admin(actor, unit: Unit | None) -> None:
    if unit is None:
        if actor is not None and not getattr(actor, "is_superuser", False):
            raise ActionError(_("Chỉ quản trị hệ thống được tạo đơn vị gốc."))
        return
    require(actor, Role.ADMINISTRATOR, unit)


def _lock(unit: Unit) -> Unit:
    return Unit.objects.select_for_update().get(pk=unit.pk)


def _allocate_paths(parents: list[Unit | None]) -> list[str]:
    """A new path under each parent (None: a new root), in order; the parents must be locked.

    Each parent's child counter moves on by its number of new children: one UPDATE per
    distinct new value, so a batch under thousands of parents costs a handful of queries.
    """
    paths: list[str] = []
    holders: dict[int, Unit] = {}
    root_seq = None
    for parent in parents:
        if parent is None:
            if root_seq is None:
                roots = Unit.objects.filter(depth=0).order_by("-path")
                last = roots.values_list("path", flat=True).first()
                root_seq = int(last, 36) if last else 0
            root_seq += 1
            paths.append(segment(root_seq))
            continue
        holder = holders.setdefault(parent.pk, parent)
        holder.child_seq += 1
        if holder.child_seq > MAX_SEGMENT:
            raise ActionError(
                _("Đơn vị “%(unit)s” đã có quá nhiều đơn vị trực thuộc.") % {"unit": holder}
            )
        paths.append(child_path(holder.path, holder.child_seq))
    by_count: dict[int, list[int]] = {}
    for holder in holders.values():
        by_count.setdefault(holder.child_seq, []).append(holder.pk)
    for count, ids in by_count.items():
        for i in range(0, len(ids), BULK_BATCH):
            Unit.objects.filter(pk__in=ids[i : i + BULK_BATCH]).update(child_seq=count)
    return paths


def _allocate_path(parent: Unit | None) -> str:
    return _allocate_paths([parent])[0]


class BackdateUnconfirmed(ActionError):
    """A reorganisation dated long ago that the person has not confirmed: nothing changed."""


def _check_backdate(actor, date: datetime.date, confirmed: bool) -> None:
    """A person who dates a reorganisation more than `backdate_days()` back must confirm it:
    it rewrites the tree as it stood since then, which reports and statistics already read.
    The system (no actor: the demo loader, a scripted set-up) replays history it was given."""
    if actor is None or confirmed or not is_backdated(date):
        return
    raise BackdateUnconfirmed(
        _(
            "Ngày hiệu lực %(date)s cách hôm nay hơn %(days)s ngày: thay đổi sẽ sửa lại cây tổ "
            "chức từ ngày đó, và các báo cáo, số liệu đã lập theo cây cũ sẽ khác đi. Hãy kiểm tra "
            "lại ngày; nếu đúng, hãy xác nhận ghi lùi ngày."
        )
        % {"date": f"{date:%d/%m/%Y}", "days": backdate_days()},
        field="confirm_backdated",
    )


def _check_date(unit: Unit, date: datetime.date) -> None:
    check_date(date, "date")
    if date < unit.valid_from:
        raise ActionError(
            _("Ngày hiệu lực %(date)s trước ngày thành lập của “%(unit)s” (%(start)s).")
            % {
                "date": f"{date:%d/%m/%Y}",
                "unit": unit.name,
                "start": f"{unit.valid_from:%d/%m/%Y}",
            },
            field="date",
        )
    if unit.valid_to is not None:
        raise ActionError(
            _("Đơn vị “%(unit)s” đã kết thúc hoạt động từ %(end)s.")
            % {"unit": unit.name, "end": f"{unit.valid_to:%d/%m/%Y}"}
        )


def _check_placement(kind: str, parent: Unit | None) -> None:
    if not can_live_under(kind, parent.kind if parent else None):
        raise ActionError(
            _("Không thể đặt đơn vị loại “%(kind)s” dưới đơn vị loại “%(parent)s”.")
            % {"kind": kind_label(kind), "parent": kind_label(parent.kind if parent else None)},
            field="parent",
        )


def _current_state(unit: Unit) -> UnitState | None:
    return unit.states.filter(valid_to__isnull=True).order_by("-valid_from").first()


def _first_state(unit: Unit) -> UnitState:
    """The state a unit opens with: its own fields, from the day it starts."""
    return UnitState(
        unit_id=unit.pk,
        parent_id=unit.parent_id,
        name=unit.name,
        short_name=unit.short_name,
        kind=unit.kind,
        valid_from=unit.valid_from,
    )


def _new_state(unit: Unit, date: datetime.date) -> None:
    """Close the open state at `date` and open one that mirrors the unit's current fields."""
    state = _current_state(unit)
    if state is not None:
        if date < state.valid_from:
            raise ActionError(
                _("Ngày hiệu lực %(date)s trước lần thay đổi gần nhất (%(last)s).")
                % {"date": f"{date:%d/%m/%Y}", "last": f"{state.valid_from:%d/%m/%Y}"},
                field="date",
            )
        if date == state.valid_from:
            state.delete()
        else:
            state.valid_to = date
            state.save(update_fields=["valid_to"])
    UnitState.objects.create(
        unit=unit,
        parent=unit.parent,
        name=unit.name,
        short_name=unit.short_name,
        kind=unit.kind,
        valid_from=date,
    )


def _close_state(unit: Unit, date: datetime.date) -> None:
    state = _current_state(unit)
    if state is not None:
        state.valid_to = date
        state.save(update_fields=["valid_to"])


def _reparent(unit: Unit, new_parent: Unit) -> None:
    """Give `unit` a new parent and rewrite the paths of its whole subtree in one UPDATE."""
    old_path = unit.path
    new_path = _allocate_path(new_parent)
    delta = depth_of(new_path) - depth_of(old_path)
    Unit.objects.filter(subtree_q(old_path)).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + delta,
    )
    handover.paths_moved(old_path, new_path)
    unit.parent = new_parent
    unit.path = new_path
    unit.depth = depth_of(new_path)
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)


def _operation(actor, kind, date, decision=None, note="") -> Reorganisation:
    op = Reorganisation.objects.create(
        kind=kind,
        date=date,
        decision=decision,
        note=note,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    return op


def _log_op(actor, op: Reorganisation, unit: Unit) -> None:
    links = [
        {
            "predecessor": link.predecessor_id,
            "successor": link.successor_id,
            "work": link.takes_work,
        }
        for link in op.links.all()
    ]
    record(
        actor,
        f"reorganisation.{op.kind}",
        op,
        unit=unit,
        after={**snapshot(op), "links": links},
    )


@dataclass(frozen=True, slots=True)
class NewUnit:
    """A unit to create with `create_checked_units`: its fields, already stripped and checked."""

    code: str
    name: str
    kind: str
    parent: Unit | None
    valid_from: datetime.date
    short_name: str = ""


def create_checked_units(actor, new: list[NewUnit]) -> list[Unit]:
    """Write units that passed their checks: paths, the units, their first state, the log.

    The one way a unit comes into being, for one unit (`create_unit`) or a batch of thousands
    (the import): every write is a bulk one. Call inside a transaction, with each parent locked
    and read after the lock (its child counter gives the paths). The caller checks permission,
    codes, dates and placement; a taken code or path still fails on the unique indexes.
    """
    paths = _allocate_paths([n.parent for n in new])
    units = [
        Unit(
            code=n.code,
            name=n.name,
            short_name=n.short_name,
            kind=n.kind,
            parent=n.parent,
            path=path,
            depth=depth_of(path),
            valid_from=n.valid_from,
            name_folded=fold(f"{n.name} {n.short_name} {n.code}"),
        )
        for n, path in zip(new, paths, strict=True)
    ]
    Unit.objects.bulk_create(units, batch_size=BULK_BATCH)
    if units and units[-1].pk is None:  # states, log rows and children need the ids
        raise RuntimeError("The database did not return the ids of the new units.")
    UnitState.objects.bulk_create([_first_state(u) for u in units], batch_size=BULK_BATCH)
    record_many(actor, "units.create", [Change(u, unit=u, after=_snap(u)) for u in units])
    return units


@transaction.atomic
def create_unit(
    actor,
    *,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None,
    valid_from: datetime.date,
    short_name: str = "",
) -> Unit:
    _require_admin(actor, parent)
    code = code.strip()
    name = name.strip()
    if not code or not name:
        raise ActionError(_("Mã và tên đơn vị là bắt buộc."))
    if Unit.objects.filter(code=code).exists():
        raise ActionError(_("Mã đơn vị “%(code)s” đã tồn tại.") % {"code": code}, field="code")
    check_date(valid_from, "valid_from")
    if parent is not None:
        parent = _lock(parent)
        _check_date(parent, valid_from)
    _check_placement(kind, parent)
    new = NewUnit(code, name, kind, parent, valid_from, short_name.strip())
    return create_checked_units(actor, [new])[0]


@transaction.atomic
def rename_unit(
    actor,
    unit: Unit,
    *,
    name: str,
    date: datetime.date,
    short_name: str | None = None,
    decision=None,
    confirm_backdated: bool = False,
) -> Unit:
    unit = _lock(unit)
    _require_admin(actor, unit)
    _check_date(unit, date)
    _check_backdate(actor, date, confirm_backdated)
    name = name.strip()
    if not name:
        raise ActionError(_("Tên đơn vị là bắt buộc."), field="name")
    before = _snap(unit)
    unit.name = name
    if short_name is not None:
        unit.short_name = short_name.strip()
    unit.name_folded = fold(f"{unit.name} {unit.short_name} {unit.code}")
    unit.save(update_fields=["name", "short_name", "name_folded"])
    _new_state(unit, date)
    op = _operation(actor, Reorganisation.Kind.RENAME, date, decision)
    ReorganisationLink.objects.create(operation=op, predecessor=unit, successor=unit)
    record(actor, "units.rename", unit, unit=unit, before=before, after=_snap(unit))
    _log_op(actor, op, unit)
    return unit


def _move(actor, unit: Unit, new_parent: Unit, date: datetime.date) -> None:
    if new_parent.pk == unit.pk or new_parent.path.startswith(unit.path):
        raise ActionError(
            _("Không thể chuyển “%(unit)s” vào chính nó hoặc đơn vị trực thuộc của nó.")
            % {"unit": unit.name},
            field="parent",
        )
    _check_date(new_parent, date)
    _check_placement(unit.kind, new_parent)
    before = _snap(unit)
    _reparent(unit, new_parent)
    _new_state(unit, date)
    record(actor, "units.move", unit, unit=unit, before=before, after=_snap(unit))


@transaction.atomic
def move_unit(
    actor,
    unit: Unit,
    *,
    new_parent: Unit,
    date: datetime.date,
    decision=None,
    confirm_backdated: bool = False,
) -> Unit:
    unit = _lock(unit)
    new_parent = _lock(new_parent)
    _require_admin(actor, unit)
    _require_admin(actor, new_parent)
    _check_date(unit, date)
    _check_backdate(actor, date, confirm_backdated)
    _move(actor, unit, new_parent, date)
    op = _operation(actor, Reorganisation.Kind.MOVE, date, decision)
    ReorganisationLink.objects.create(operation=op, predecessor=unit, successor=unit)
    _log_op(actor, op, unit)
    return unit


def _open_children(unit: Unit):
    return list(Unit.objects.filter(parent=unit, valid_to__isnull=True).order_by("path"))


def _close(
    actor,
    unit: Unit,
    date: datetime.date,
    op: Reorganisation,
    work_successor: Unit | None,
    child_targets: dict[int, Unit] | None = None,
) -> None:
    """Close `unit` on `date`: children and open work move on, the unit is filed under its heir.

    Filing the closed unit under the successor that took its work keeps its history readable by
    the successor's users; its parent on any past date stays in UnitState.
    """
    children = _open_children(unit)
    if children and work_successor is None and not child_targets:
        raise ActionError(
            _("“%(unit)s” còn %(n)s đơn vị trực thuộc đang hoạt động: hãy chỉ định đơn vị kế thừa.")
            % {"unit": unit.name, "n": len(children)}
        )
    for child in children:
        target = (child_targets or {}).get(child.pk, work_successor)
        if target is None:
            raise ActionError(
                _("Chưa chỉ định nơi chuyển đơn vị trực thuộc “%(child)s”.") % {"child": child.name}
            )
        _move(actor, child, target, date)
    before = _snap(unit)
    if work_successor is not None:
        handover.hand_over(actor, unit, work_successor, op)
        if not work_successor.path.startswith(unit.path):
            _reparent(unit, work_successor)
    unit.valid_to = date
    Unit.objects.filter(pk=unit.pk).update(valid_to=date)
    _close_state(unit, date)
    record(actor, f"units.{op.kind}", unit, unit=unit, before=before, after=_snap(unit))


def _resolve_successor(actor, spec, date: datetime.date) -> Unit:
    if isinstance(spec, Unit):
        unit = _lock(spec)
        _check_date(unit, date)
        return unit
    return create_unit(actor, valid_from=date, **spec)


@transaction.atomic
def merge_units(
    actor,
    *,
    units: list[Unit],
    into: Unit | dict,
    date: datetime.date,
    decision=None,
    note: str = "",
    confirm_backdated: bool = False,
) -> Unit:
    """Several units into one: an existing unit that continues, or a new one (`into` as fields)."""
    units = [_lock(u) for u in units]
    if not units:
        raise ActionError(_("Cần ít nhất một đơn vị để hợp nhất."))
    for u in units:
        _require_admin(actor, u)
        _check_date(u, date)
    _check_backdate(actor, date, confirm_backdated)
    successor = _resolve_successor(actor, into, date)
    _require_admin(actor, successor)
    closing = [u for u in units if u.pk != successor.pk]
    for u in closing:
        if successor.path.startswith(u.path):
            raise ActionError(
                _("Đơn vị kế thừa không được nằm trong đơn vị bị hợp nhất “%(unit)s”.")
                % {"unit": u.name}
            )
    op = _operation(actor, Reorganisation.Kind.MERGE, date, decision, note)
    for u in closing:
        ReorganisationLink.objects.create(
            operation=op, predecessor=u, successor=successor, takes_work=True
        )
        _close(actor, u, date, op, successor)
    _log_op(actor, op, successor)
    return successor


@transaction.atomic
def split_unit(
    actor,
    unit: Unit,
    *,
    into: list[Unit | dict],
    work_to: int = 0,
    child_targets: dict[int, int] | None = None,
    date: datetime.date,
    decision=None,
    note: str = "",
    confirm_backdated: bool = False,
) -> list[Unit]:
    """One unit into several. `work_to` indexes the successor that takes the open work;
    `child_targets` maps a child's id to the index of the successor it moves under."""
    unit = _lock(unit)
    _require_admin(actor, unit)
    _check_date(unit, date)
    _check_backdate(actor, date, confirm_backdated)
    if len(into) < 2:
        raise ActionError(_("Chia tách cần ít nhất hai đơn vị kế thừa."))
    if not 0 <= work_to < len(into):
        raise ActionError(_("Đơn vị nhận công việc phải là một trong các đơn vị kế thừa."))
    if any(not 0 <= i < len(into) for i in (child_targets or {}).values()):
        raise ActionError(
            _("Đơn vị trực thuộc chỉ có thể chuyển về một trong các đơn vị kế thừa."),
            field="child_targets",
        )
    successors = [_resolve_successor(actor, spec, date) for spec in into]
    for s in successors:
        _require_admin(actor, s)
        if s.pk == unit.pk or s.path.startswith(unit.path):
            raise ActionError(_("Đơn vị kế thừa không được nằm trong đơn vị bị chia tách."))
    targets = {cid: successors[i] for cid, i in (child_targets or {}).items()}
    op = _operation(actor, Reorganisation.Kind.SPLIT, date, decision, note)
    for i, s in enumerate(successors):
        ReorganisationLink.objects.create(
            operation=op, predecessor=unit, successor=s, takes_work=(i == work_to)
        )
    _close(actor, unit, date, op, successors[work_to], targets)
    _log_op(actor, op, successors[work_to])
    return successors


@transaction.atomic
def dissolve_unit(
    actor,
    unit: Unit,
    *,
    date: datetime.date,
    successor: Unit | None = None,
    decision=None,
    note: str = "",
    confirm_backdated: bool = False,
) -> Unit:
    """Close a unit. Open children and work go to `successor`; without one there must be none."""
    unit = _lock(unit)
    _require_admin(actor, unit)
    _check_date(unit, date)
    _check_backdate(actor, date, confirm_backdated)
    if successor is not None:
        successor = _lock(successor)
        _require_admin(actor, successor)
        _check_date(successor, date)
        if successor.path.startswith(unit.path):
            raise ActionError(_("Đơn vị kế thừa không được nằm trong đơn vị bị giải thể."))
    op = _operation(actor, Reorganisation.Kind.DISSOLVE, date, decision, note)
    ReorganisationLink.objects.create(
        operation=op, predecessor=unit, successor=successor, takes_work=successor is not None
    )
    _close(actor, unit, date, op, successor)
    _log_op(actor, op, unit)
    return unit
