"""The one mask for classified content, wherever a record is named.

A document classified above a reader's clearance shows only that a classified document exists
("Văn bản mật"). Every record that carries its content is bound by the same rule: a plan is its
document, a task is its plan's; a list, a prefetched relation, an export, a notification or a
change-log line that names such a record must hide the name too (NetBox scopes related sets the
same way with `RestrictedPrefetch`). Each such model registers once, in its app's `ready()`, the
lookup to the document that governs it and the word a reader without clearance sees instead:

    classified.register("tracking.Task", "plan__document", _("Nhiệm vụ mật"))

Reads then go through a handful of functions built on `scope.document_access`:

- `restrict(qs, user)` annotates each row `readable` (one CASE in the same SQL);
- `readable_prefetch(user, lookup, qs)` does it for a related record or set (a prefetch);
- `mask(obj, "field.path")` prints the field only when `obj.readable` is true, else the word
  registered for the model that owns the field ("Nhiệm vụ mật" for a task's title, "Văn bản mật"
  for its plan's symbol). A row nobody annotated is masked: forgetting fails closed. Templates
  use the `masked` filter (`{% load classified %}`);
- `readable_ids` and `readable_pairs` answer the same question for records named elsewhere:
  the change log's object names (`mask_log`: decided when the log is read, for that reader, so
  a later reclassification counts and a cleared reader still reads the name) and digests sent
  to many recipients at once (decided for each recipient).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Prefetch, Q, Value, When
from django.utils.translation import gettext_lazy as _

from trienkhai.accounts.scope import NOTHING, document_access, is_global, known_units_condition

DOCUMENT_MASK = _("Văn bản mật")
# Readability of many recipients is asked in UNIONs of this many per-user reads.
UNION_CHUNK = 50


@dataclass(frozen=True)
class Rule:
    prefix: str  # lookup from the model to its governing document ("" for a document)
    word: object  # what a reader without clearance sees instead of the record's name


_rules: dict[str, Rule] = {}


def register(label: str, prefix: str, word=DOCUMENT_MASK) -> None:
    """Declare that records of `label` ("app.Model") carry the content of the document at
    `prefix` and show as `word` to a reader who may not read that document."""
    _rules[label.lower()] = Rule(prefix, word)


def rule_for(model) -> Rule | None:
    if model is None:
        return None
    return _rules.get(model._meta.concrete_model._meta.label_lower)


def _rule(model) -> Rule:
    rule = rule_for(model)
    if rule is None:
        raise LookupError(f"{model._meta.label} is not registered as classified")
    return rule


def flag(condition: Q):
    """A boolean expression for `condition`; an empty Q (a global user) is simply true."""
    if not condition:
        return Value(True, output_field=BooleanField())
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def readable_flag(user, prefix: str = ""):
    """Whether `user` may read the document at `prefix`, as an expression to annotate."""
    return flag(document_access(user, prefix)[1])


def restrict(qs, user, name: str = "readable"):
    """`qs` (of a registered model) with each row annotated `name`: may `user` read it."""
    return qs.annotate(**{name: readable_flag(user, _rule(qs.model).prefix)})


def readable_prefetch(user, lookup: str, queryset, to_attr: str | None = None) -> Prefetch:
    """A prefetch of `lookup` whose records come annotated `readable` for `user`.

    `queryset` may already be scoped (then records outside the scope come back as None or are
    left out of the set, as with NetBox's RestrictedPrefetch); a forward foreign key must not be
    in the outer queryset's select_related, which would fill it before the prefetch runs.
    """
    return Prefetch(lookup, queryset=restrict(queryset, user), to_attr=to_attr)


def _owner_model(model, path: list[str]):
    for name in path:
        model = model._meta.get_field(name).related_model
    return model


def mask_word(model, path: str = "") -> str:
    """The word shown instead of `path` read from a `model` record (its owner's word)."""
    owner = _owner_model(model, path.split(".")[:-1] if path else [])
    rule = rule_for(owner)
    return str(rule.word if rule is not None else DOCUMENT_MASK)


def mask(obj, path: str) -> str:
    """`obj.<path>` (dotted) when the reader may read `obj`, else the word of the record that
    owns the field. `obj` must come from `restrict`/`readable_prefetch` (or carry `readable`
    otherwise); one without it is masked."""
    if not hasattr(obj, "_meta"):  # None, or a template's unresolved value: nothing to show
        return ""
    if getattr(obj, "readable", False) is not True:
        return mask_word(type(obj), path)
    value = obj
    for name in path.split("."):
        value = getattr(value, name, None)
        if value is None:
            return ""
    return str(value)


def readable_ids(user, model, ids) -> set:
    """Which of `ids` (records of a registered `model`) `user` may read; checked in SQL."""
    ids = {int(i) for i in ids}
    if not ids:
        return set()
    if is_global(user):
        return ids
    readable = document_access(user, _rule(model).prefix)[1]
    qs = model._base_manager.filter(pk__in=sorted(ids)).filter(readable)
    return set(qs.values_list("pk", flat=True))


def readable_pairs(model, wanted: dict[int, set]) -> set[tuple[int, int]]:
    """(user id, record id) for each record of `wanted[user id]` that the user may read.

    For messages to many recipients at once: the users' grants are read in one query, and the
    per-user reads (`document_access`, exactly as for a page) go to the database in UNIONs of
    `UNION_CHUNK`, so the number of queries grows with recipients / 50, never with records.
    """
    from django.contrib.auth import get_user_model

    from trienkhai.accounts.models import Grant

    wanted = {uid: {int(i) for i in ids} for uid, ids in wanted.items() if ids}
    if not wanted:
        return set()
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=sorted(wanted))}
    grants = defaultdict(list)
    for g in Grant.objects.filter(user_id__in=sorted(users)).select_related("unit"):
        grants[g.user_id].append(g)
    out: set[tuple[int, int]] = set()
    reads = []
    prefix = _rule(model).prefix
    for uid, user in users.items():
        user._trienkhai_grants = grants[uid]
        if is_global(user):
            out.update((uid, pk) for pk in wanted[uid])
            continue
        readable = document_access(user, prefix)[1]
        if readable == NOTHING:
            continue
        reads.append(
            model._base_manager.filter(pk__in=sorted(wanted[uid]))
            .filter(readable)
            .annotate(reader=Value(uid))
            .values_list("reader", "pk")
            .order_by()
        )
    for i in range(0, len(reads), UNION_CHUNK):
        first, *rest = reads[i : i + UNION_CHUNK]
        out.update((int(u), int(pk)) for u, pk in first.union(*rest, all=True))
    return out


def readable_log(user, entries) -> list:
    """Log entries as `user` reads them (`core.log_rows`): classified names masked, and only
    the units the user may know named (in changed fields, next to a person, in a record's
    name); any other shows as outside the reader's scope."""
    from trienkhai.core.log_rows import log_rows

    return log_rows(
        mask_log(user, entries), known=lambda prefix: known_units_condition(user, prefix)
    )


def mask_log(user, entries) -> list:
    """Log entries with the stored name of each registered record the reader may not read
    replaced by its word (in memory only: the log itself stays as written)."""
    from django.contrib.contenttypes.models import ContentType

    entries = list(entries)
    if is_global(user):
        return entries
    groups = defaultdict(list)
    for entry in entries:
        model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
        if rule_for(model) is not None:
            groups[model].append(entry)
    for model, group in groups.items():
        ids = {e.object_id for e in group if e.object_id.isdigit()}
        readable = {str(pk) for pk in readable_ids(user, model, ids)}
        for entry in group:
            if entry.object_id not in readable:
                entry.object_repr = mask_word(model)
                entry.before = entry.after = None
                entry.masked = True
    return entries
