"""Every write to indicator sets, targets and values: checked, atomic and change-logged.

Roles: a coordinator over the set's unit creates the set and its indicators (or imports them);
a coordinator over a unit sets its target and splits it among its children (`cascade`); a
reporter over a unit reports its value for a period. Each value written also updates `Rollup`
for the unit and every ancestor (one UPSERT-like step per level), so the panels read the
subtree totals directly.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, F, Max, Sum
from django.db.models.functions import Length, Substr
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.accounts.permissions import require
from trienkhai.core.actions import ActionError, check_version, record, snapshot
from trienkhai.core.dates import today as current_day
from trienkhai.indicators import periods
from trienkhai.indicators.models import (
    Aggregation,
    Indicator,
    IndicatorSet,
    Rollup,
    Source,
    Target,
    Value,
)
from trienkhai.tree.kinds import COMMITTEE_KINDS
from trienkhai.tree.paths import SEGMENT_WIDTH, ancestor_paths
from trienkhai.units.models import Unit

MAX_VALUE = Decimal("100000000000")


def parse_number(value, field: str = "value") -> Decimal:
    """A number typed the Vietnamese way ("1.234,5"), or given as a number."""
    if isinstance(value, bool) or value is None or value == "":
        raise ActionError(_("Hãy nhập một số."), field=field)
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace(" ", "").replace("%", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        elif text.count(".") > 1 or (text.count(".") == 1 and len(text.split(".")[1]) == 3):
            text = text.replace(".", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ActionError(
                _("“%(value)s” không phải là số (ví dụ: 1.234,5).") % {"value": value},
                field=field,
            ) from None
    if not number.is_finite():
        raise ActionError(_("Hãy nhập một số."), field=field)
    if number < 0:
        raise ActionError(_("Số liệu không được âm."), field=field)
    if number > MAX_VALUE:
        raise ActionError(_("Số liệu quá lớn."), field=field)
    return number.quantize(Decimal("0.0001"))


def _check_rate(indicator: Indicator, number: Decimal, field: str) -> None:
    if indicator.aggregation == Aggregation.RATE and number > 100:
        raise ActionError(_("Tỷ lệ không được vượt quá 100%."), field=field)


def _in_set(indicator_set: IndicatorSet, unit: Unit) -> None:
    if not unit.path.startswith(indicator_set.unit.path):
        raise ActionError(
            _("Đơn vị “%(unit)s” không thuộc %(owner)s, nơi giao bộ chỉ tiêu.")
            % {"unit": unit.name, "owner": indicator_set.unit.name},
            field="unit",
        )
    if unit.valid_to is not None:
        raise ActionError(
            _("Đơn vị “%(unit)s” đã thôi hoạt động.") % {"unit": unit.name}, field="unit"
        )


# --- sets and indicators -----------------------------------------------------------------


@transaction.atomic
def create_set(actor, *, document, unit: Unit, name: str, year: int, plan=None) -> IndicatorSet:
    require(actor, Role.COORDINATOR, unit)
    name = (name or "").strip()
    if not name:
        raise ActionError(_("Hãy nhập tên bộ chỉ tiêu."), field="name")
    if not 2000 <= int(year) <= 2100:
        raise ActionError(_("Năm không hợp lệ."), field="year")
    s = IndicatorSet.objects.create(
        document=document,
        plan=plan,
        unit=unit,
        name=name[:300],
        year=int(year),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    record(actor, "indicators.create_set", s, unit=unit, after=snapshot(s))
    return s


def clean_indicator(data: dict, field_prefix: str = "") -> dict:
    """The fields of an indicator from `data`, refused with a message naming the bad one."""
    out = {}
    for key, label, limit in (
        ("code", _("mã"), 32),
        ("name", _("tên chỉ tiêu"), 300),
        ("measure", _("đơn vị tính"), 40),
    ):
        text = str(data.get(key) or "").strip()
        if not text:
            raise ActionError(_("Thiếu %(what)s.") % {"what": label}, field=field_prefix + key)
        if len(text) > limit:
            raise ActionError(
                _("%(what)s dài quá %(n)s ký tự.") % {"what": capfirst(label), "n": limit},
                field=field_prefix + key,
            )
        out[key] = text
    out["definition"] = str(data.get("definition") or "").strip()
    for key, choices, label in (
        ("direction", ("more", "less"), _("chiều")),
        ("aggregation", ("sum", "rate", "average"), _("cách tổng hợp")),
        ("period", ("month", "quarter", "year"), _("kỳ báo cáo")),
        ("source", tuple(Source.values), _("nguồn số liệu")),
    ):
        value = str(data.get(key) or ("more" if key == "direction" else "")).strip().lower()
        if key == "source" and not value:
            value = Source.REPORTED
        if value not in choices:
            raise ActionError(
                _("%(what)s “%(value)s” không hợp lệ; chọn một trong: %(choices)s.")
                % {"what": capfirst(label), "value": value, "choices": ", ".join(choices)},
                field=field_prefix + key,
            )
        out[key] = value
    return out


@transaction.atomic
def add_indicator(actor, indicator_set: IndicatorSet, **data) -> Indicator:
    require(actor, Role.COORDINATOR, indicator_set.unit)
    fields = clean_indicator(data)
    if indicator_set.indicators.filter(code=fields["code"]).exists():
        raise ActionError(
            _("Mã chỉ tiêu “%(code)s” đã có trong bộ.") % {"code": fields["code"]}, field="code"
        )
    fields["order"] = indicator_set.indicators.count() + 1
    ind = Indicator.objects.create(indicator_set=indicator_set, **fields)
    record(actor, "indicators.add_indicator", ind, unit=indicator_set.unit, after=snapshot(ind))
    return ind


# --- targets -----------------------------------------------------------------------------


def _write_target(indicator, unit, value, split) -> tuple[Target, dict | None]:
    target = Target.objects.filter(
        indicator=indicator, unit=unit, year=indicator.indicator_set.year
    ).first()
    before = snapshot(target) if target else None
    if target is None:
        target = Target.objects.create(
            indicator=indicator,
            unit=unit,
            unit_path=unit.path,
            year=indicator.indicator_set.year,
            value=value,
            split=split,
        )
    else:
        target.value, target.split, target.version = value, split, target.version + 1
        target.save(update_fields=["value", "split", "version"])
    return target, before


@transaction.atomic
def set_target(actor, indicator: Indicator, unit: Unit, value, *, expected_version=None) -> Target:
    """The target of `unit` itself: set by a coordinator above it (or over the set's unit for
    the set's own unit)."""
    owner = indicator.indicator_set.unit
    require(actor, Role.COORDINATOR, unit.parent if unit.pk != owner.pk and unit.parent else unit)
    _in_set(indicator.indicator_set, unit)
    number = parse_number(value)
    _check_rate(indicator, number, "value")
    existing = Target.objects.filter(
        indicator=indicator, unit=unit, year=indicator.indicator_set.year
    ).first()
    if existing is not None:
        check_version(existing, expected_version, {"value": str(existing.value)})
    target, before = _write_target(indicator, unit, number, Target.Split.SET)
    record(actor, "indicators.set_target", target, unit=unit, before=before, after=snapshot(target))
    return target


def cascade_children(unit: Unit):
    return Unit.objects.filter(
        parent=unit, valid_to__isnull=True, kind__in=sorted(COMMITTEE_KINDS)
    ).order_by("name", "pk")


@transaction.atomic
def cascade(actor, indicator: Indicator, unit: Unit, *, method: str, figures=None) -> list[Target]:
    """Split `unit`'s target among its open committee children.

    `method`: "even" (a sum split in equal parts, a rate or average copied to each child),
    "weight" (`figures` {child id: weight}: a sum split in proportion, a rate or average copied),
    "manual" (`figures` {child id: target}). Every child gets its target or none is written.
    """
    require(actor, Role.COORDINATOR, unit)
    _in_set(indicator.indicator_set, unit)
    year = indicator.indicator_set.year
    target = Target.objects.filter(indicator=indicator, unit=unit, year=year).first()
    children = list(cascade_children(unit))
    if not children:
        raise ActionError(_("Đơn vị không có đơn vị trực thuộc để phân bổ."), field="method")
    figures = figures or {}
    if method != "manual" and target is None:
        raise ActionError(
            _("Đơn vị chưa có chỉ tiêu năm %(year)s để phân bổ.") % {"year": year}, field="method"
        )
    is_sum = indicator.aggregation == Aggregation.SUM
    values: dict[int, Decimal] = {}
    if method == "even":
        share = target.value / len(children) if is_sum else target.value
        values = {c.pk: share for c in children}
    elif method == "weight":
        weights = {}
        for c in children:
            weights[c.pk] = parse_number(figures.get(c.pk, figures.get(str(c.pk))), f"c{c.pk}")
        total = sum(weights.values(), Decimal(0))
        if total <= 0:
            raise ActionError(_("Tổng trọng số phải lớn hơn 0."), field="method")
        values = {
            pk: (target.value * w / total if is_sum else target.value) for pk, w in weights.items()
        }
    elif method == "manual":
        for c in children:
            number = parse_number(figures.get(c.pk, figures.get(str(c.pk))), f"c{c.pk}")
            _check_rate(indicator, number, f"c{c.pk}")
            values[c.pk] = number
    else:
        raise ActionError(_("Cách phân bổ không hợp lệ."), field="method")
    split = {"even": Target.Split.EVEN, "weight": Target.Split.WEIGHT}.get(
        method, Target.Split.MANUAL
    )
    out = []
    for child in children:
        value = values[child.pk].quantize(Decimal("0.0001"))
        t, before = _write_target(indicator, child, value, split)
        record(actor, "indicators.cascade", t, unit=child, before=before, after=snapshot(t))
        out.append(t)
    return out


# --- values ------------------------------------------------------------------------------


def _ancestors(unit: Unit) -> list[tuple[int, int | None]]:
    """(id, parent id) of the unit and every ancestor."""
    paths = [*ancestor_paths(unit.path), unit.path]
    return list(Unit.objects.filter(path__in=paths).values_list("pk", "parent_id"))


def _roll(indicator, unit, year, period, delta: Decimal, counted: int) -> None:
    for pk, parent in _ancestors(unit):
        row, _created = Rollup.objects.get_or_create(
            indicator=indicator,
            unit_id=pk,
            year=year,
            period=period,
            defaults={"parent_id_copy": parent},
        )
        Rollup.objects.filter(pk=row.pk).update(
            total=F("total") + delta, reporting=F("reporting") + counted
        )


def write_value(actor, indicator, unit, period: int, number: Decimal, *, computed: bool):
    year = indicator.indicator_set.year
    value = Value.objects.filter(indicator=indicator, unit=unit, year=year, period=period).first()
    before = snapshot(value) if value else None
    if value is None:
        value = Value.objects.create(
            indicator=indicator,
            unit=unit,
            unit_path=unit.path,
            year=year,
            period=period,
            value=number,
            computed=computed,
            reported_by=actor if getattr(actor, "pk", None) else None,
        )
        _roll(indicator, unit, year, period, number, 1)
    else:
        delta = number - value.value
        value.value, value.version = number, value.version + 1
        value.reported_by = actor if getattr(actor, "pk", None) else None
        value.save(update_fields=["value", "version", "reported_by", "reported_at"])
        if delta:
            _roll(indicator, unit, year, period, delta, 0)
    return value, before


@transaction.atomic
def report_value(
    actor, indicator: Indicator, unit: Unit, period, value, *, expected_version=None, today=None
) -> Value:
    require(actor, Role.REPORTER, unit)
    _in_set(indicator.indicator_set, unit)
    if indicator.source != Source.REPORTED:
        raise ActionError(
            _("Chỉ tiêu này được tính từ số liệu của hệ thống, không nhập tay."), field="indicator"
        )
    year = indicator.indicator_set.year
    try:
        period = int(period)
    except (TypeError, ValueError):
        raise ActionError(_("Kỳ báo cáo không hợp lệ."), field="period") from None
    if not 1 <= period <= indicator.periods:
        raise ActionError(_("Kỳ báo cáo không hợp lệ."), field="period")
    day = today or current_day()
    if periods.bounds(indicator.period, year, period)[0] > day:
        raise ActionError(
            _("%(period)s chưa bắt đầu, chưa thể báo cáo.")
            % {"period": periods.name(indicator.period, year, period)},
            field="period",
        )
    number = parse_number(value)
    _check_rate(indicator, number, "value")
    existing = Value.objects.filter(
        indicator=indicator, unit=unit, year=year, period=period
    ).first()
    if existing is not None:
        check_version(
            existing, expected_version, {"value": str(existing.value)}, ("indicators.report",)
        )
    elif expected_version not in (None, "", 0, "0"):
        # the editor saw a value that is no longer there: someone else's, since replaced
        check_version(Value(version=0), expected_version, {"value": ""})
    saved, before = write_value(actor, indicator, unit, period, number, computed=False)
    record(actor, "indicators.report", saved, unit=unit, before=before, after=snapshot(saved))
    return saved


# --- computed indicators -----------------------------------------------------------------


@transaction.atomic
def compute(actor, indicator: Indicator, *, today=None) -> int:
    """Write the values of a computed indicator for every unit holding a target, for each period
    begun so far and ending after the directive was issued, from the system's own records
    (`indicators.sources`). Returns the values changed."""
    from trienkhai.indicators import sources

    require(actor, Role.COORDINATOR, indicator.indicator_set.unit)
    if indicator.source == Source.REPORTED:
        raise ActionError(_("Chỉ tiêu này do đơn vị báo cáo."), field="indicator")
    year = indicator.indicator_set.year
    day = today or current_day()
    last = periods.started(indicator.period, year, day)
    units = list(
        Unit.objects.filter(
            pk__in=Target.objects.filter(indicator=indicator, year=year).values("unit_id")
        )
    )
    changed = 0
    for period in range(1, last + 1):
        start, end = periods.bounds(indicator.period, year, period)
        if end < indicator.indicator_set.document.date:
            continue  # the directive did not exist yet: nothing was due
        figures = sources.compute(indicator, units, start, min(end, day))
        for unit in units:
            if unit.pk not in figures and indicator.source not in sources.MISSING_IS_ZERO:
                continue  # nothing was due: no figure, rather than a zero
            number = Decimal(figures.get(unit.pk, 0)).quantize(Decimal("0.0001"))
            old = Value.objects.filter(
                indicator=indicator, unit=unit, year=year, period=period
            ).first()
            if old is not None and old.value == number:
                continue
            saved, before = write_value(actor, indicator, unit, period, number, computed=True)
            record(
                actor, "indicators.compute", saved, unit=unit, before=before, after=snapshot(saved)
            )
            changed += 1
    return changed


# --- rebuilding the roll-up --------------------------------------------------------------


@transaction.atomic
def rebuild_rollups(actor, indicator_set: IndicatorSet) -> int:
    """Recompute `Rollup` of a set from its values (after units moved, or values were loaded in
    bulk): one GROUP BY per tree level. Returns the rows written."""
    require(actor, Role.COORDINATOR, indicator_set.unit)
    indicators = list(indicator_set.indicators.values_list("pk", flat=True))
    Rollup.objects.filter(indicator_id__in=indicators).delete()
    values = Value.objects.filter(indicator_id__in=indicators, year=indicator_set.year)
    deepest = values.aggregate(n=Max(Length("unit_path")))["n"] or 0
    rows = []
    for length in range(SEGMENT_WIDTH, deepest + 1, SEGMENT_WIDTH):
        grouped = values.annotate(anc=Substr("unit_path", 1, length))
        grouped = (
            grouped.values("indicator_id", "year", "period", "anc")
            .annotate(total=Sum("value"), n=Count("id"))
            .order_by()
        )
        batch = list(grouped)
        paths = {g["anc"] for g in batch if len(g["anc"]) == length}
        units = dict(
            (p, (pk, parent))
            for p, pk, parent in Unit.objects.filter(path__in=sorted(paths)).values_list(
                "path", "pk", "parent_id"
            )
        )
        for g in batch:
            if len(g["anc"]) != length or g["anc"] not in units:
                continue
            pk, parent = units[g["anc"]]
            rows.append(
                Rollup(
                    indicator_id=g["indicator_id"],
                    unit_id=pk,
                    parent_id_copy=parent,
                    year=g["year"],
                    period=g["period"],
                    total=g["total"],
                    reporting=g["n"],
                )
            )
    Rollup.objects.bulk_create(rows, batch_size=2000)
    record(actor, "indicators.rebuild", indicator_set, unit=indicator_set.unit)
    return len(rows)
