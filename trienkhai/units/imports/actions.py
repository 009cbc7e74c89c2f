"""Import of units: validate every row in memory, then write in short transactions.

A national file holds ~300,000 rows, so nothing here works row by row against the database:
existing units are read with a few `code IN (...)` queries, and new units are created level by
level (parents before children) through `actions.create_checked_units`, the code that creates a
single unit too, which writes a batch's paths, units, first UnitStates and change-log entries in
bulk. Each batch is its own transaction, so other writers are never held up for long (see
`import_units` for how all or nothing still holds). Renames and moves of existing units are rare
and go through the ordinary actions, which keep history and paths right. Re-importing the same
file finds every row unchanged and writes nothing at all.
"""

import contextlib
import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.accounts.permissions import administers_someone
from trienkhai.accounts.scope import is_global, reaches_unit
from trienkhai.core.actions import ActionError
from trienkhai.core.dates import in_range, out_of_range_message
from trienkhai.core.text import fold
from trienkhai.tree.kinds import UnitKind, can_live_under, kind_label
from trienkhai.tree.paths import ancestor_paths
from trienkhai.units import actions
from trienkhai.units.imports.files import LINE
from trienkhai.units.models import Unit, UnitState

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
CHUNK = 2000
SQLITE_GAP = 0.11  # seconds between two batches: longer than a waiting writer's polling step
_LOADED_FIELDS = (
    "id", "code", "name", "short_name", "kind", "parent_id", "path", "depth", "child_seq",
    "valid_from", "valid_to",
)  # fmt: skip
_KIND_ALIASES = {
    "tinh": UnitKind.PROVINCE,
    "thanh pho": UnitKind.PROVINCE,
    "huyen": UnitKind.DISTRICT,
    "dang bo co so": UnitKind.GRASSROOTS,
    "chi bo co so": UnitKind.GRASSROOTS,
    "chi bo": UnitKind.CELL,
}


@dataclass(frozen=True)
class RowError:
    line: int
    code: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    partial: int = 0  # changes written before an interruption (see `import_units`)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass(eq=False, slots=True)
class _Row:
    line: int
    code: str
    name: str
    short_name: str
    kind: str
    parent_code: str
    valid_from: datetime.date
    existing: Unit | None = None
    parent_row: "_Row | None" = None
    parent_unit: Unit | None = None
    depth: int | None = None
    rename: bool = False
    move: bool = False
    unit: Unit | None = None


def can_import(user) -> bool:
    """Who may import units: a superuser, or anyone holding an administrator grant.

    Each row is still checked against the grants (`_administers`): an administrator of one
    province imports into that province only.
    """
    return administers_someone(user)


def kind_lookup() -> dict[str, str]:
    """Folded kind values, Vietnamese labels (and the active language's) → kind value."""
    lookup = {fold(alias): kind.value for alias, kind in _KIND_ALIASES.items()}
    for lang in ("vi", translation.get_language() or "vi"):
        with translation.override(lang):
            for kind in UnitKind:
                lookup[fold(str(kind.label))] = kind.value
    for kind in UnitKind:
        lookup[fold(kind.value)] = kind.value
        lookup[fold(kind.value.replace("_", " "))] = kind.value
    return lookup


def parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _text(row: dict, key: str) -> str:
    value = row.get(key, "")
    return "" if value is None else str(value).strip()


def _parse(row: dict, kinds: dict[str, str], errors: list[RowError]) -> _Row | None:
    line = row.get(LINE, 0)
    code, name, short_name = _text(row, "ma"), _text(row, "ten"), _text(row, "ten_ngan")
    raw_kind, raw_date = _text(row, "loai"), row.get("hieu_luc_tu", "")
    found = []

    def bad(message):
        found.append(RowError(line, code, message))

    if any("\x00" in str(value) for key, value in row.items() if key != LINE):
        # PostgreSQL cannot store a NUL character in text: refuse the row, not the request.
        code = code.replace("\x00", "")
        bad(_("Dòng có ký tự NUL (mã 0), không lưu được; hãy xóa ký tự này."))
        errors.extend(found)
        return None
    if not code:
        bad(_("Thiếu mã đơn vị (cột ma)."))
    elif len(code) > 64:
        bad(_("Mã đơn vị dài quá 64 ký tự."))
    if not name:
        bad(_("Thiếu tên đơn vị (cột ten)."))
    elif len(name) > 255:
        bad(_("Tên đơn vị dài quá 255 ký tự."))
    if len(short_name) > 100:
        bad(_("Tên ngắn dài quá 100 ký tự."))
    kind = kinds.get(fold(raw_kind))
    if not raw_kind:
        bad(_("Thiếu loại đơn vị (cột loai)."))
    elif kind is None:
        bad(_("Loại đơn vị “%(kind)s” không hợp lệ.") % {"kind": raw_kind})
    valid_from = parse_date(raw_date)
    if raw_date in ("", None):
        bad(_("Thiếu ngày hiệu lực (cột hieu_luc_tu)."))
    elif valid_from is None:
        bad(_("Ngày hiệu lực “%(value)s” không hợp lệ (dạng dd/mm/yyyy).") % {"value": raw_date})
    elif not in_range(valid_from):
        bad(out_of_range_message(valid_from))
    if found:
        errors.extend(found)
        return None
    return _Row(line, code, name, short_name, kind, _text(row, "ma_don_vi_cap_tren"), valid_from)


def _load_by_code(codes) -> dict[str, Unit]:
    codes = sorted(codes)
    found: dict[str, Unit] = {}
    for i in range(0, len(codes), CHUNK):
        qs = Unit.objects.filter(code__in=codes[i : i + CHUNK]).only(*_LOADED_FIELDS).order_by()
        found.update((u.code, u) for u in qs)
    return found


def _administers(actor, unit: Unit) -> bool:
    if actor is None or is_global(actor):
        return True
    return bool(getattr(actor, "is_active", False)) and reaches_unit(
        actor, unit, Role.ADMINISTRATOR
    )


def _known(actor, unit: Unit | None) -> bool:
    """Whether the actor may learn anything about an existing unit (its kind, its dates): only
    inside their reach. Anything else is "not found or not yours", whether it exists or not."""
    if unit is None or actor is None or is_global(actor):
        return True
    return bool(getattr(actor, "is_active", False)) and reaches_unit(actor, unit)


def _resolve(actor, r: _Row, by_code: dict[str, _Row], db: dict[str, Unit], bad) -> None:
    """Find the row's unit and parent and check placement, dates, state and permission.

    A unit outside the actor's reach is named by nothing but "not found or not yours", before
    any other check could tell its kind or dates."""
    if not _known(actor, r.existing):
        bad(
            r,
            _("Mã “%(code)s” không dùng được: không tìm thấy hoặc không thuộc phạm vi của bạn.")
            % {"code": r.code},
        )
        return
    if r.existing is not None and r.existing.kind != r.kind:
        bad(
            r,
            _("Không thể đổi loại của đơn vị đã có (đang là “%(kind)s”).")
            % {"kind": kind_label(r.existing.kind)},
        )
        return
    parent_kind, parent_start, parent_db = None, None, None
    if r.parent_code == r.code:
        bad(r, _("Đơn vị không thể là cấp trên của chính nó."))
        return
    parent_missing = _(
        "Không tìm thấy đơn vị cấp trên có mã “%(code)s” trong phạm vi của bạn và trong tệp."
    ) % {"code": r.parent_code}
    if r.parent_code in by_code:
        r.parent_row = by_code[r.parent_code]
        if not _known(actor, r.parent_row.existing):
            bad(r, parent_missing)
            return
        parent_kind = r.parent_row.kind
        parent_db = r.parent_row.existing
        parent_start = parent_db.valid_from if parent_db else r.parent_row.valid_from
    elif r.parent_code:
        r.parent_unit = parent_db = db.get(r.parent_code)
        if parent_db is None or not _known(actor, parent_db):
            bad(r, parent_missing)
            return
        parent_kind, parent_start = parent_db.kind, parent_db.valid_from
    if parent_db is not None and parent_db.valid_to is not None:
        bad(
            r,
            _("Đơn vị cấp trên “%(code)s” đã kết thúc hoạt động từ %(end)s.")
            % {"code": r.parent_code, "end": f"{parent_db.valid_to:%d/%m/%Y}"},
        )
        return
    if not can_live_under(r.kind, parent_kind):
        bad(
            r,
            _("Không thể đặt đơn vị loại “%(kind)s” dưới đơn vị loại “%(parent)s”.")
            % {"kind": kind_label(r.kind), "parent": kind_label(parent_kind)},
        )
        return
    if parent_db is not None and not _administers(actor, parent_db):
        bad(
            r,
            _("Bạn không có quyền quản trị tại đơn vị cấp trên “%(code)s”.")
            % {"code": r.parent_code},
        )
        return
    if not r.parent_code and actor is not None and not is_global(actor):
        bad(r, _("Chỉ quản trị hệ thống được tạo hoặc sửa đơn vị gốc."))
        return
    e = r.existing
    if e is None:
        if parent_start is not None and r.valid_from < parent_start:
            bad(
                r,
                _("Ngày hiệu lực %(date)s trước ngày thành lập của đơn vị cấp trên (%(start)s).")
                % {"date": f"{r.valid_from:%d/%m/%Y}", "start": f"{parent_start:%d/%m/%Y}"},
            )
        return
    r.rename = (e.name, e.short_name) != (r.name, r.short_name)
    if r.parent_row is not None:
        r.move = r.parent_row.existing is None or r.parent_row.existing.pk != e.parent_id
    elif r.parent_unit is not None:
        r.move = r.parent_unit.pk != e.parent_id
    else:
        r.move = e.parent_id is not None
        if r.move:
            bad(r, _("Không thể chuyển một đơn vị đã có thành đơn vị gốc."))
            return
    if (r.rename or r.move) and e.valid_to is not None:
        bad(
            r,
            _("Đơn vị đã kết thúc hoạt động từ %(end)s, không thể sửa.")
            % {"end": f"{e.valid_to:%d/%m/%Y}"},
        )
    elif (r.rename or r.move) and not _administers(actor, e):
        bad(r, _("Bạn không có quyền quản trị tại đơn vị này."))


def _final_depths(rows: list[_Row], bad) -> None:
    """Depth of each row in the tree as the file leaves it; a cycle is an error on its rows.

    A row's chain goes up through file rows; a parent outside the file may still sit below an
    existing unit that the file moves, so the nearest such ancestor continues the chain.
    """
    moved_by_path = {r.existing.path: r for r in rows if r.existing is not None}

    def up(r: _Row) -> tuple[_Row | None, int]:
        if r.parent_row is not None:
            return r.parent_row, 1
        p = r.parent_unit
        if p is None:
            return None, 0
        for path in reversed(ancestor_paths(p.path)):
            x = moved_by_path.get(path)
            if x is not None:
                return x, 1 + p.depth - x.existing.depth
        return None, p.depth + 1

    blocked: set[int] = set()
    for start in rows:
        if start.depth is not None or id(start) in blocked:
            continue
        chain: list[_Row] = []
        steps: list[int] = []
        on_chain: set[int] = set()
        r, depth = start, None
        while True:
            if id(r) in on_chain:
                for c in chain[chain.index(r) :]:
                    bad(
                        c,
                        _("Quan hệ cấp trên tạo thành vòng lặp (qua mã “%(code)s”).")
                        % {"code": r.code},
                    )
                break
            if id(r) in blocked:
                break
            chain.append(r)
            on_chain.add(id(r))
            nxt, step = up(r)
            steps.append(step)
            if nxt is None:
                depth = step
                break
            if nxt.depth is not None:
                depth = nxt.depth + step
                break
            r = nxt
        if depth is None:
            blocked.update(on_chain)
            continue
        chain[-1].depth = depth
        for i in range(len(chain) - 2, -1, -1):
            chain[i].depth = chain[i + 1].depth + steps[i]


def _change_date(unit: Unit, wanted: datetime.date) -> datetime.date:
    """The row's date if it is after the unit's last change, otherwise today (never earlier)."""
    last = (
        UnitState.objects.filter(unit=unit, valid_to__isnull=True)
        .order_by("-valid_from")
        .values_list("valid_from", flat=True)
        .first()
    ) or unit.valid_from
    if wanted > last:
        return wanted
    return max(timezone.localdate(), last)


def _parent_of(r: _Row) -> Unit | None:
    """The row's parent as a Unit (an existing one, or one this import created), or None."""
    if r.parent_unit is not None:
        return r.parent_unit
    if r.parent_row is not None:
        return r.parent_row.existing or r.parent_row.unit
    return None


def _fresh_parents(batch: list[_Row]) -> dict[int, Unit]:
    """The batch's parents as they are now, locked (their counters are about to move)."""
    ids = sorted({p.pk for p in map(_parent_of, batch) if p is not None})
    fresh: dict[int, Unit] = {}
    for i in range(0, len(ids), CHUNK):
        locked = (
            Unit.objects.select_for_update()
            .filter(pk__in=ids[i : i + CHUNK])
            .only("id", "code", "name", "path", "child_seq", "valid_to")
            .order_by()
        )
        fresh.update((u.pk, u) for u in locked)
    return fresh


def _recheck(batch: list[_Row], fresh: dict[int, Unit]) -> None:
    """Refuse the batch if someone changed the tree under it since the file was checked."""
    taken = set(
        Unit.objects.filter(code__in=[r.code for r in batch]).values_list("code", flat=True)
    )
    for r in batch:
        parent = _parent_of(r)
        if r.code in taken:
            raise _Interrupted(
                RowError(
                    r.line,
                    r.code,
                    _("Mã “%(code)s” vừa được dùng cho một đơn vị khác.") % {"code": r.code},
                )
            )
        if parent is not None and (parent.pk not in fresh or fresh[parent.pk].valid_to):
            raise _Interrupted(
                RowError(
                    r.line,
                    r.code,
                    _("Đơn vị cấp trên “%(code)s” vừa kết thúc hoạt động.")
                    % {"code": r.parent_code},
                )
            )


def _create_batch(actor, batch: list[_Row]) -> None:
    """Create one batch of new units of the same depth through `actions.create_checked_units`.

    Parents are read again and locked inside the batch's transaction, whether they existed
    before or an earlier batch created them: their counters give the next path segments.
    """
    fresh = _fresh_parents(batch)
    _recheck(batch, fresh)
    new = []
    for r in batch:
        parent = _parent_of(r)
        new.append(
            actions.NewUnit(
                code=r.code,
                name=r.name,
                kind=r.kind,
                parent=fresh[parent.pk] if parent is not None else None,
                valid_from=r.valid_from,
                short_name=r.short_name,
            )
        )
    for r, unit in zip(batch, actions.create_checked_units(actor, new), strict=True):
        r.unit = unit


def _update_one(actor, r: _Row) -> None:
    """Rename and/or move an existing unit through the ordinary actions."""
    unit = r.existing
    try:
        date = _change_date(unit, r.valid_from)
        # The file states its dates on purpose (the whole file is checked before anything is
        # written): an old date there is not the slip the confirmation guards against.
        if r.rename:
            unit = actions.rename_unit(
                actor,
                unit,
                name=r.name,
                short_name=r.short_name,
                date=date,
                confirm_backdated=True,
            )
        if r.move:
            parent = r.parent_unit or r.parent_row.existing or r.parent_row.unit
            actions.move_unit(actor, unit, new_parent=parent, date=date, confirm_backdated=True)
    except ActionError as exc:
        raise _Interrupted(RowError(r.line, r.code, str(exc.message))) from exc


class _Interrupted(Exception):
    """Writing stopped at one row (the tree changed meanwhile, or an action refused it)."""

    def __init__(self, error: RowError):
        super().__init__(error.message)
        self.error = error


def _let_others_write() -> None:
    """Leave SQLite's write lock free for a moment between two batches.

    A writer that finds the lock taken sleeps and tries again (its busy handler polls at most
    every 100 ms); without a gap the import would take the lock again at once, and that
    writer would wait for the whole import. PostgreSQL locks rows, not the database.
    """
    if connection.vendor == "sqlite":
        time.sleep(SQLITE_GAP)


def _batches(new_rows: list[_Row], changed: list[_Row], size: int):
    """New units level by level (parents before children) in batches, then the changes."""
    levels: dict[int, list[_Row]] = {}
    for r in new_rows:
        levels.setdefault(r.depth, []).append(r)
    for depth in sorted(levels):
        level = levels[depth]
        for i in range(0, len(level), size):
            yield "create", level[i : i + size]
    changed = sorted(changed, key=lambda r: r.depth)
    step = max(1, size // 10)  # a rename or move is a dozen queries, a new unit a fraction of one
    for i in range(0, len(changed), step):
        yield "update", changed[i : i + step]


def _validate(actor, rows: list[dict], result: ImportResult):
    """Every check, and no write: the rows to create and the rows to change, or errors."""
    kinds = kind_lookup()
    parsed = [p for p in (_parse(row, kinds, result.errors) for row in rows) if p is not None]
    by_code: dict[str, _Row] = {}
    for r in parsed:
        first = by_code.get(r.code)
        if first is not None:
            result.errors.append(
                RowError(
                    r.line,
                    r.code,
                    _("Mã “%(code)s” trùng với dòng %(line)s.")
                    % {"code": r.code, "line": first.line},
                )
            )
        else:
            by_code[r.code] = r
    bad_rows: set[int] = set()

    def bad(r: _Row, message: str) -> None:
        bad_rows.add(id(r))
        result.errors.append(RowError(r.line, r.code, message))

    db = _load_by_code(set(by_code) | {r.parent_code for r in parsed if r.parent_code})
    rows_ok = list(by_code.values())
    for r in rows_ok:
        r.existing = db.get(r.code)
    for r in rows_ok:
        _resolve(actor, r, by_code, db, bad)
    if not result.errors:
        _final_depths(rows_ok, bad)
    if result.errors:
        result.errors.sort(key=lambda e: e.line)
        return [], []
    new_rows = [r for r in rows_ok if r.existing is None]
    changed = [r for r in rows_ok if r.existing is not None and (r.rename or r.move)]
    result.created = len(new_rows)
    result.updated = len(changed)
    result.unchanged = len(rows_ok) - len(new_rows) - len(changed)
    return new_rows, changed


def import_units(
    actor,
    rows: list[dict],
    *,
    progress: Callable[[int, int], None] | None = None,
    chunk: int | None = None,
) -> ImportResult:
    """Validate every row, then create, rename and move units; any bad row and nothing changes.

    `rows` come from `imports.read_rows` (or any list of dicts with the template's columns and a
    `line`). With any bad row nothing is written and the result lists each line and reason.

    The checks run first and write nothing (so they hold no lock). A file of up to `chunk`
    changes (TRIENKHAI_IMPORT_CHUNK_ROWS) is then written in one transaction. A longer one is
    written in transactions of `chunk` units each, so other people's writes wait for one batch
    at most, never for the whole file; `progress(done, total)` is called between them, outside
    any transaction. All or nothing still holds for the file's data: every refusal the data can
    cause is found by the checks before the first write, so writing cannot fail on it. Each
    batch checks again, under its lock, that nobody took one of its codes or closed one of its
    parents meanwhile; if so, writing stops there, the result says how far it got, and importing
    the same file again finishes the job (rows already written are found unchanged).
    """
    chunk = max(1, chunk or settings.TRIENKHAI_IMPORT_CHUNK_ROWS)
    result = ImportResult()
    new_rows, changed = _validate(actor, rows, result)
    if not result.ok or not (new_rows or changed):
        return result
    total = len(new_rows) + len(changed)
    whole = total <= chunk
    done = 0
    if progress is not None and not whole:
        progress(0, total)
    try:
        with transaction.atomic() if whole else contextlib.nullcontext():
            for what, batch in _batches(new_rows, changed, chunk):
                with transaction.atomic():
                    if what == "create":
                        _create_batch(actor, batch)
                    else:
                        for r in batch:
                            _update_one(actor, r)
                done += len(batch)
                if not whole:
                    if progress is not None:
                        progress(done, total)
                    _let_others_write()
    except (_Interrupted, ActionError, IntegrityError) as exc:
        if isinstance(exc, _Interrupted):
            error = exc.error
        elif isinstance(exc, ActionError):
            error = RowError(0, "", str(exc.message))
        else:  # a unique path or code taken by a concurrent write at the last moment
            error = RowError(0, "", _("Cây đơn vị vừa được người khác thay đổi."))
        if whole or done == 0:
            return ImportResult(errors=[error])
        note = _(
            "Đã ghi %(done)s trên %(total)s thay đổi trước khi dừng; hãy nhập lại tệp này để "
            "hoàn tất (các dòng đã ghi sẽ được bỏ qua)."
        ) % {"done": done, "total": total}
        return ImportResult(errors=[error, RowError(0, "", note)], partial=done)
    if progress is not None and whole:
        progress(done, total)
    return result
