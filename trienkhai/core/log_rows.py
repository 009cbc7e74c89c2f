"""The change log in people's words: who (name and unit, or the job), what (the action's label),
which record, and each changed field as its label with the values before and after.

The log stores raw facts (an action name, ids, ISO dates, a JSON snapshot); this module turns a
page of entries into rows a person reads, in the active language. It costs a fixed number of
queries per page whatever its length: the people and their units (two), the units named by
changed fields (one), and one per kind of record whose own name is not readable
(`core.registry` point "log.names").
"""

import datetime
import decimal
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trienkhai.core import registry
from trienkhai.core.actions import JOB_PREFIX
from trienkhai.core.models import ChangeLogEntry

DATETIME = "d/m/Y H:i"
DATE = "d/m/Y"
LONG_TEXT = 300  # characters of a value shown; the rest is cut with "…"
EMPTY = "—"
OUTSIDE = gettext_lazy("(đơn vị ngoài phạm vi của bạn)")

# Fields that carry no meaning for a reader (bookkeeping, search copies, tree encodings).
HIDDEN = frozenset(
    {
        "id",
        "version",
        "search_text",
        "name_folded",
        "title_folded",
        "path",
        "unit_path",
        "host_path",
        "top_path",
        "depth",
        "child_seq",
        "sha256",
        "content_type",
        "password",
        "last_login",
        "key",
        "params",
        "request_id",
        "created_at",  # the entry's own time says when
        "updated_at",
    }
)
# Keys inside logged dictionaries (a reorganisation's links) that hold unit ids.
UNIT_KEYS = frozenset({"predecessor", "successor"})

# Words for fields whose model gives none, and for the extra keys some actions log.
FIELD_WORDS = {
    "unit": gettext_lazy("đơn vị"),
    "user": gettext_lazy("người dùng"),
    "parent": gettext_lazy("cấp trên"),
    "name": gettext_lazy("tên"),
    "short_name": gettext_lazy("tên viết tắt"),
    "kind": gettext_lazy("loại"),
    "valid_from": gettext_lazy("hiệu lực từ"),
    "valid_to": gettext_lazy("hiệu lực đến"),
    "created_by": gettext_lazy("người tạo"),
    "created_at": gettext_lazy("thời điểm tạo"),
    "updated_at": gettext_lazy("thời điểm sửa"),
    "file": gettext_lazy("tệp"),
    "original_name": gettext_lazy("tên tệp"),
    "size": gettext_lazy("dung lượng (byte)"),
    "uploaded_at": gettext_lazy("thời điểm tải lên"),
    "document": gettext_lazy("văn bản"),
    "documents": gettext_lazy("văn bản"),
    "plan": gettext_lazy("kế hoạch"),
    "task": gettext_lazy("nhiệm vụ"),
    "occurrence": gettext_lazy("kỳ thực hiện"),
    "directive": gettext_lazy("văn bản chỉ đạo"),
    "directives": gettext_lazy("văn bản chỉ đạo"),
    "assigned_by": gettext_lazy("đơn vị giao"),
    "requires_plan": gettext_lazy("phải ban hành kế hoạch"),
    "fulfilled_by": gettext_lazy("kế hoạch thực hiện"),
    "assignment": gettext_lazy("phân công"),
    "state": gettext_lazy("trạng thái"),
    "submitted_by": gettext_lazy("người gửi"),
    "submitted_at": gettext_lazy("thời điểm gửi"),
    "reviewed_by": gettext_lazy("người xem xét"),
    "reviewed_at": gettext_lazy("thời điểm xem xét"),
    "requested_by": gettext_lazy("người yêu cầu"),
    "requested_at": gettext_lazy("thời điểm yêu cầu"),
    "answered_by": gettext_lazy("người trả lời"),
    "answered_at": gettext_lazy("thời điểm trả lời"),
    "source": gettext_lazy("văn bản"),
    "target": gettext_lazy("văn bản liên quan"),
    "part": gettext_lazy("đối tượng kiểm tra, giám sát"),
    "inspection": gettext_lazy("cuộc kiểm tra, giám sát"),
    "order": gettext_lazy("thứ tự"),
    "request": gettext_lazy("yêu cầu khắc phục"),
    "evaluated_by": gettext_lazy("người đánh giá"),
    "from_state": gettext_lazy("từ bước"),
    "to_state": gettext_lazy("sang bước"),
    "practice": gettext_lazy("mô hình, cách làm hay"),
    "period": gettext_lazy("kỳ đánh giá, xếp loại"),
    "self_rated_by": gettext_lazy("người tự đánh giá"),
    "decided_by": gettext_lazy("người quyết định"),
    "returned_by": gettext_lazy("người trả lại"),
    "notified_by": gettext_lazy("người thông báo"),
    "self_disqualifiers": gettext_lazy("tiêu chí không được xếp loại (tự đánh giá)"),
    "review_disqualifiers": gettext_lazy("tiêu chí không được xếp loại (thẩm định)"),
    "decided_disqualifiers": gettext_lazy("tiêu chí không được xếp loại (quyết định)"),
    "total_points": gettext_lazy("tổng số điểm cầu"),
    "total_attendees": gettext_lazy("tổng số người dự"),
    "points": gettext_lazy("điểm cầu"),
    "attendance": gettext_lazy("người dự"),
    "links": gettext_lazy("đơn vị liên quan"),
    "predecessor": gettext_lazy("đơn vị cũ"),
    "successor": gettext_lazy("đơn vị mới"),
    "takes_work": gettext_lazy("nhận công việc"),
    "work": gettext_lazy("nhận công việc"),
    "rule": gettext_lazy("cách giao"),
    "created": gettext_lazy("số đơn vị được giao"),
    "occurrences": gettext_lazy("số kỳ thực hiện"),
    "operation": gettext_lazy("sắp xếp tổ chức"),
    "tokens": gettext_lazy("khóa truy cập API"),
    "tokens_revoked": gettext_lazy("số khóa truy cập bị thu hồi"),
}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class LogRow:
    """One entry as a person reads it."""

    entry: ChangeLogEntry
    time: datetime.datetime
    who: str
    who_unit: str
    by_job: bool
    action: str
    kind: str
    name: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def record(self) -> str:
        return f"{self.kind}: {self.name}" if self.kind else self.name


def action_label(action: str) -> str:
    """The registered label of an action; an entry written before its label existed shows its
    name (new writes without a label are refused by `core.actions.record`)."""
    label = registry.entry("log.actions", action)
    return str(label) if label is not None else action


def job_label(name: str) -> str:
    label = registry.entry("log.jobs", name)
    return str(label) if label is not None else name


def _model(entry):
    return ContentType.objects.get_for_id(entry.content_type_id).model_class()


def _fields(model) -> dict:
    """Snapshot keys (attnames, as `core.actions.snapshot` writes them, or names) → field."""
    if model is None:
        return {}
    out = {}
    for f in model._meta.concrete_fields:
        out[f.attname] = f
        out[f.name] = f
    return out


def _label(key: str, f) -> str:
    if f is not None and isinstance(f.verbose_name, Promise):
        return capfirst(str(f.verbose_name))
    name = f.name if f is not None else key
    if name in FIELD_WORDS:
        return capfirst(str(FIELD_WORDS[name]))
    return capfirst(name.replace("_", " "))


def _cut(text: str) -> str:
    return text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1] + "…"


def _everything(_prefix: str) -> Q:
    return Q()


class _Names:
    """Names of the people and units a page of rows mentions, read once for the page; a unit
    the reader may not know (`known`) is not named."""

    def __init__(self, known=_everything):
        self.known = known
        self.user_ids: set[int] = set()
        self.unit_ids: set[int] = set()
        self.users: dict[int, tuple[str, str]] = {}
        self.units: dict[int, str] = {}

    def load(self):
        if self.user_ids:
            users = get_user_model().objects.filter(pk__in=sorted(self.user_ids))
            grant_model = users.model._meta.get_field("grants").related_model
            # a person's unit: the highest unit they hold a role at
            grants = Prefetch(
                "grants",
                queryset=grant_model.objects.filter(self.known("unit"))
                .select_related("unit")
                .order_by("unit__depth", "unit__path", "pk"),
                to_attr="log_grants",
            )
            for user in users.prefetch_related(grants):
                held = user.log_grants
                self.users[user.pk] = (
                    user.get_full_name().strip() or user.get_username(),
                    held[0].unit.name if held else "",
                )
        if self.unit_ids:
            unit_model = ChangeLogEntry._meta.get_field("unit").related_model
            self.units = dict(
                unit_model.objects.filter(pk__in=sorted(self.unit_ids))
                .filter(self.known(""))
                .values_list("pk", "name")
            )


def _related(f):
    """'unit' or 'user' when `f` points at one (named on the page), else None."""
    if f is None or not f.is_relation or not f.many_to_one:
        return None
    target = f.related_model
    if target is ChangeLogEntry._meta.get_field("unit").related_model:
        return "unit"
    if target is get_user_model():
        return "user"
    return None


def _collect(value, f, names: _Names) -> None:
    kind = _related(f)
    if kind and isinstance(value, int):
        (names.unit_ids if kind == "unit" else names.user_ids).add(value)
    elif isinstance(value, list):
        for item in value:
            _collect(item, None, names)
    elif isinstance(value, dict):
        names.unit_ids.update(v for k, v in value.items() if k in UNIT_KEYS and isinstance(v, int))


def _format(value, f, names: _Names) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, list):
        return ", ".join(_format(v, None, names) for v in value)
    if isinstance(value, dict):
        return "; ".join(
            f"{_label(k, None)}: "
            + (names.units.get(v) or str(OUTSIDE) if k in UNIT_KEYS else _format(v, None, names))
            for k, v in value.items()
        )
    if isinstance(value, bool) or isinstance(f, models.BooleanField):
        return _("Có") if value else _("Không")
    kind = _related(f)
    if kind == "unit":
        return names.units.get(value) or str(OUTSIDE)
    if kind == "user":
        return names.users.get(value, (f"#{value}", ""))[0]
    if f is not None and f.is_relation:
        return f"{_kind_word(f.related_model)} #{value}".strip()
    if f is not None and f.flatchoices:
        choices = {k: v for k, v in f.flatchoices}
        if value in choices:
            return str(choices[value])
    if isinstance(f, models.DateTimeField) and isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is not None:
            if timezone.is_aware(parsed):
                parsed = timezone.localtime(parsed)
            return formats.date_format(parsed, DATETIME)
    if isinstance(f, models.DateField) and isinstance(value, str):
        parsed = parse_date(value)
        if parsed is not None:
            return formats.date_format(parsed, DATE)
    if isinstance(value, int | float | decimal.Decimal) or (
        isinstance(f, models.DecimalField) and isinstance(value, str)
    ):
        try:
            return formats.number_format(decimal.Decimal(str(value)), use_l10n=True)
        except decimal.InvalidOperation:
            pass
    if isinstance(f, models.FileField):
        return str(value).rsplit("/", 1)[-1]
    return _cut(str(value))


def _changes(entry) -> list[tuple[str, object, object, object]]:
    """(key, field, before, after) of what changed, in the model's field order."""
    before, after = entry.before or {}, entry.after or {}
    fields = _fields(_model(entry))
    order = {key: i for i, key in enumerate(fields)}
    keys = [k for k in dict.fromkeys([*before, *after]) if k not in HIDDEN]
    keys.sort(key=lambda k: order.get(k, len(order)))
    out = []
    for key in keys:
        f = fields.get(key)
        if f is not None and (f.name in HIDDEN or f.attname in HIDDEN):
            continue
        old, new = before.get(key), after.get(key)
        if old == new or (not before and new in (None, "", [])):
            continue  # unchanged, or an empty value of a new record
        out.append((key, f, old, new))
    return out


def _describe(entries, known) -> dict[int, str]:
    """Readable names from the apps for records whose stored name is not (entry id → name)."""
    groups = defaultdict(list)
    for entry in entries:
        if getattr(entry, "masked", False):
            continue
        model = _model(entry)
        if model is not None and registry.entry("log.names", model._meta.label_lower):
            groups[model._meta.label_lower].append(entry)
    out = {}
    for label, group in groups.items():
        _word, describe = registry.entry("log.names", label)
        if describe is None:
            continue
        names = describe(sorted({e.object_id for e in group}), known)
        for entry in group:
            if entry.object_id in names:
                out[entry.pk] = names[entry.object_id]
    return out


def _kind_word(model) -> str:
    """What a record of `model` is called: the app's word for it, else its verbose name."""
    if model is None:
        return ""
    named = registry.entry("log.names", model._meta.label_lower)
    return capfirst(str(named[0] if named else model._meta.verbose_name))


def _kind(entry) -> str:
    if getattr(entry, "masked", False):
        return ""
    return _kind_word(_model(entry))


def log_rows(entries, *, known: Callable[[str], Q] = _everything) -> list[LogRow]:
    """`entries` (already scoped and masked for the reader) as rows in the active language.

    `known(prefix)`: the condition on the units the reader may see named (`prefix`: the lookup
    to the unit); see `accounts.classified.readable_log`, which every page uses.
    """
    entries = list(entries)
    names = _Names(known)
    diffs = {}
    for entry in entries:
        if entry.user_id:
            names.user_ids.add(entry.user_id)
        diffs[entry.pk] = _changes(entry)
        for _key, f, old, new in diffs[entry.pk]:
            _collect(old, f, names)
            _collect(new, f, names)
    names.load()
    described = _describe(entries, known)
    rows = []
    for entry in entries:
        by_job = entry.user_id is None and entry.user_name.startswith(JOB_PREFIX)
        if entry.user_id:
            who, who_unit = names.users.get(entry.user_id, (entry.user_name, ""))
        elif by_job:
            who = _("Công việc nền: %(job)s") % {
                "job": job_label(entry.user_name.removeprefix(JOB_PREFIX))
            }
            who_unit = ""
        else:
            who, who_unit = _("Hệ thống"), ""
        rows.append(
            LogRow(
                entry=entry,
                time=timezone.localtime(entry.time),
                who=who,
                who_unit=who_unit,
                by_job=by_job,
                action=action_label(entry.action),
                kind=_kind(entry),
                name=described.get(entry.pk, entry.object_repr),
                changes=[
                    FieldChange(_label(key, f), _format(old, f, names), _format(new, f, names))
                    for key, f, old, new in diffs[entry.pk]
                ],
            )
        )
    return rows
